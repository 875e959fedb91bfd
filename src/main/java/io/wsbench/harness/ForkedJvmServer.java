package io.wsbench.harness;

import io.wsbench.server.EchoServer;
import io.wsbench.server.EmbeddedServerSupport;
import io.wsbench.server.ServerConfig;
import io.wsbench.server.ServerSettings;
import io.wsbench.server.ServerStartException;
import io.wsbench.server.ChildOutput;
import io.wsbench.servers.python.ChildProcessServer;
import io.wsbench.server.ProcessTree;
import io.wsbench.servers.EchoServers;
import io.wsbench.wire.EchoProtocol;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * An embedded server started in a child JVM of its own ({@code serverProcess=forked}), so that its CPU time, memory
 * and garbage are not mixed with the client's: {@code java <jvm args> -cp <this JVM's class path> ServeMain NAME
 * ... --control}, with the same {@link ServerConfig} it would get in this JVM.
 *
 * <p><b>Start.</b> The child prints its URI as the first line on stdout once its server is bound; that line, and a
 * TCP connection accepted there, must come within the start timeout ({@value ChildProcessServer#START_TIMEOUT_PROPERTY},
 * 15 s by default). A child that exits first fails the start with its own error line (a port in use, a server that
 * needs a newer JDK) and the last lines of its output. Its stderr goes to a log file as for the Python servers
 * ({@code target/server-logs}, or {@value ChildProcessServer#LOG_DIR_PROPERTY}), bounded.
 *
 * <p><b>While it runs.</b> {@link #settings()} and {@link #heapUsedAfterGcBytes()} ask the child over its stdin and
 * stdout (ServeMain's {@code --control} commands), each waiting at most {@link #ANSWER_TIMEOUT}; {@link #serverPid()}
 * is the child, whose CPU and memory the profiler reads from {@code /proc}. None of the server's threads are in this
 * JVM ({@link #ownsThread} is always false). What to expect of the server (broadcast room, TLS, echo prefix, protocol)
 * is asked of an unstarted instance in this JVM, which starts nothing.
 *
 * <p><b>Stop.</b> {@link #close()} closes the child's stdin, on which it stops its server and exits (so does a child
 * whose parent was killed, even by SIGKILL); after {@link #STOP_GRACE} SIGTERM, then SIGKILL; what survives that fails
 * the close. A shutdown hook kills children that a JVM ending without close leaves.
 *
 * <p>The child's JVM options are the heap options ({@code -Xms}, {@code -Xmx}) this JVM was started with, so a server has
 * the same heap forked or embedded ({@value #DEFAULT_JVM_ARGS} when this JVM has none), or the options in {@value
 * #JVM_ARGS_PROPERTY}, separated by spaces or commas (commas pass through JMH's {@code -jvmArgsAppend}, which splits
 * at spaces).
 */
public final class ForkedJvmServer implements EchoServer {
    /** JVM options of the child, separated by spaces or commas, in place of this JVM's heap options. */
    public static final String JVM_ARGS_PROPERTY = "wsbench.forkedServerJvmArgs";
    static final String DEFAULT_JVM_ARGS = "-Xms1g -Xmx1g";
    static final Duration STOP_GRACE = Duration.ofSeconds(5);
    static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(10);
    private static final int TAIL_LINES = 20;
    private static final long POLL_MILLIS = 100;
    /** ServeMain's prefix for the error it exits with. */
    private static final String CHILD_ERROR = "ServeMain: ";

    private final String name;
    private final EchoServer described;
    private final List<String> jvmArgs;
    private final List<String> serveMainArgs;
    private Process process;
    private Writer commands;
    private ChildOutput stderr;
    private BlockingQueue<String> stdoutLines;
    private CompletableFuture<Void> stdoutEnded;

    /**
     * A forked {@code name} with {@code config}; starts nothing.
     *
     * @throws IllegalArgumentException for a Python server (a child process already), an unknown name, a server this
     *     JVM (and so the child) cannot run, or a config ServeMain's options cannot reproduce
     */
    public ForkedJvmServer(String name, ServerConfig config) {
        if (EchoServers.childProcessNames().contains(name)) {
            throw new IllegalArgumentException("serverProcess=forked: server=" + name + " is a Python app that always runs as"
                    + " a child process of its own; forked is for the servers that run inside this JVM ("
                    + String.join(", ", EchoServers.inProcessNames()) + "): drop -p serverProcess");
        }
        this.described = EchoServers.create(name, config);
        this.name = name;
        this.serveMainArgs = serveMainArgs(name, config);
        ServerConfig reproduced = ServeMain.parse(serveMainArgs.toArray(String[]::new)).config();
        if (!reproduced.equals(config)) {
            throw new IllegalArgumentException("serverProcess=forked runs ServeMain, which sets host, port, serverThreads,"
                    + " transport, tls and compression only, and would run " + reproduced + " instead of " + config
                    + "; run this configuration embedded");
        }
        this.jvmArgs = jvmArgs();
    }

    private static List<String> serveMainArgs(String name, ServerConfig config) {
        List<String> args = new ArrayList<>(List.of(name, "--host", config.host(), "--port", String.valueOf(config.port()),
                "--server-threads", String.valueOf(config.serverThreads()),
                "--transport", config.transport().name().toLowerCase(Locale.ROOT)));
        if (config.tls().enabled()) {
            args.addAll(List.of("--tls", "--tls-provider", config.tls().paramValue()));
        }
        if (config.compression()) {
            args.add("--compression");
        }
        args.add("--control");
        return List.copyOf(args);
    }

    private static List<String> jvmArgs() {
        String value = System.getProperty(JVM_ARGS_PROPERTY);
        if (value != null) {
            return value.isBlank() ? List.of() : Arrays.asList(value.trim().split("[\\s,]+"));
        }
        List<String> heap = ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(arg -> arg.startsWith("-Xms") || arg.startsWith("-Xmx"))
                .toList();
        return heap.isEmpty() ? Arrays.asList(DEFAULT_JVM_ARGS.split(" ")) : heap;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public synchronized URI start() {
        if (process != null) {
            throw new IllegalStateException(name + " server already started");
        }
        Duration timeout = ChildProcessServer.startTimeout();
        long deadline = System.nanoTime() + timeout.toNanos();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(jvmArgs);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), ServeMain.class.getName()));
        command.addAll(serveMainArgs);
        try {
            Path log = ChildProcessServer.newLogFile(name + "-forked");
            process = new ProcessBuilder(command).start();
            ProcessTree.killAtExit(process.toHandle());
            commands = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
            stderr = new ChildOutput(process.getErrorStream(), log, ChildProcessServer.MAX_LOG_BYTES, TAIL_LINES, null)
                    .start("wsbench-forked-" + name + "-stderr");
            readStdout(process);
            String first = nextLine(deadline);
            if (first == null) {
                throw stdoutEnded.isDone() ? startFailure(ended() + " during start-up" + childError(), null)
                        : startFailure("printed no URI within " + timeout.toMillis() + " ms (-D"
                                + ChildProcessServer.START_TIMEOUT_PROPERTY + " to wait longer)", null);
            }
            URI uri = serverUri(first);
            requireAccepting(uri, deadline);
            return uri;
        } catch (IOException e) {
            throw stopAfter(startFailure("could not start (" + e.getMessage() + ")", e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw stopAfter(startFailure("start interrupted while waiting for its URI", e));
        } catch (ServerStartException e) {
            throw stopAfter(e);
        }
    }

    /** Queues the child's stdout lines (its URI, then the answers) on a daemon thread, until the child closes it. */
    private void readStdout(Process child) {
        stdoutLines = new LinkedBlockingQueue<>();
        stdoutEnded = new CompletableFuture<>();
        BlockingQueue<String> lines = stdoutLines;
        CompletableFuture<Void> ended = stdoutEnded;
        Thread reader = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    lines.add(line);
                }
            } catch (IOException e) {
                // The stream broke because the child is gone; ended() says how it went.
            } finally {
                ended.complete(null);
            }
        }, "wsbench-forked-" + name + "-stdout");
        reader.setDaemon(true);
        reader.start();
    }

    /** The next stdout line; null if none came before {@code deadline} or the child closed its stdout. */
    private String nextLine(long deadline) throws InterruptedException {
        while (true) {
            long remaining = deadline - System.nanoTime();
            String line = stdoutLines.poll(Math.max(0, Math.min(remaining, TimeUnit.MILLISECONDS.toNanos(POLL_MILLIS))),
                    TimeUnit.NANOSECONDS);
            if (line != null) {
                return line;
            }
            if ((stdoutEnded.isDone() && stdoutLines.isEmpty()) || remaining <= 0) {
                return null;
            }
        }
    }

    /** The URI on the child's first line: ws://, wss:// or tcp:// with the port it bound. */
    private URI serverUri(String line) {
        try {
            URI uri = new URI(line.trim());
            if (List.of("ws", "wss", "tcp").contains(uri.getScheme()) && uri.getHost() != null && uri.getPort() > 0) {
                return uri;
            }
        } catch (URISyntaxException e) {
            // reported below, with the line
        }
        throw startFailure("printed '" + line + "' where its URI (ws://, wss:// or tcp://HOST:PORT) belongs", null);
    }

    /** The child printed its URI once bound; one connection proves the port is its and accepting. */
    private void requireAccepting(URI uri, long deadline) {
        String host = "0.0.0.0".equals(uri.getHost()) || "[::]".equals(uri.getHost()) ? "127.0.0.1" : uri.getHost();
        int millis = (int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
        try (Socket probe = new Socket()) {
            probe.connect(new InetSocketAddress(host, uri.getPort()), millis);
        } catch (IOException e) {
            throw startFailure("printed " + uri + " but accepted no TCP connection there (" + e.getMessage() + ")", e);
        }
    }

    /** How the child's stdout ended: with its exit, or with a child still running. */
    private String ended() {
        try {
            process.waitFor(1, TimeUnit.SECONDS); // stdout closes a moment before the exit
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        stderr.awaitEnd(Duration.ofSeconds(1)); // so that the tail has its last words
        return process.isAlive() ? "closed its stdout" : "exited with code " + process.exitValue();
    }

    /** ServeMain's own error line, the cause of an early exit, as {@code ": WHY"}; empty if it printed none. */
    private String childError() {
        List<String> tail = stderr.tail();
        for (int i = tail.size() - 1; i >= 0; i--) {
            if (tail.get(i).startsWith(CHILD_ERROR)) {
                return ": " + tail.get(i).substring(CHILD_ERROR.length());
            }
        }
        return "";
    }

    private ServerStartException startFailure(String what, Throwable cause) {
        return new ServerStartException(describe() + " " + what + lastLines(), cause);
    }

    /** {@code netty (forked JVM: java -Xms1g -Xmx1g -cp <...> ServeMain netty ...)}, without the long class path. */
    private String describe() {
        String pid = process == null ? "" : ", pid " + process.pid();
        return name + " (forked JVM" + pid + ": java " + String.join(" ", jvmArgs) + " -cp <this JVM's class path> "
                + ServeMain.class.getSimpleName() + " " + String.join(" ", serveMainArgs) + ")";
    }

    private String lastLines() {
        return stderr == null ? "" : ". Last lines of its output (all of it in " + stderr.logFile() + "):\n" + stderr.tailText();
    }

    /** Stops what a failed start left running; trouble doing so is added to {@code failure}, which is returned to throw. */
    private ServerStartException stopAfter(ServerStartException failure) {
        try {
            stop();
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
        }
        return failure;
    }

    /**
     * The child's live settings, as its server reads them from its own objects, with {@code serverProcess=forked}, its
     * {@code pid} and {@code serverJvmArgs} added.
     */
    @Override
    public synchronized ServerSettings settings() {
        EmbeddedServerSupport.requireStarted(process != null, name);
        ServerSettings live = ServeMain.parseSettingsLine(ask("settings"));
        ServerSettings.Builder settings = ServerSettings.of(live.server());
        live.values().forEach(settings::put);
        return settings.put("serverProcess", "forked")
                .put("pid", process.pid())
                .put("serverJvmArgs", String.join(" ", jvmArgs))
                .build();
    }

    /** Heap the child's JVM uses right after a {@code System.gc()} there, in bytes: what the server's live objects need. */
    public synchronized long heapUsedAfterGcBytes() {
        if (process == null) {
            throw new IllegalStateException(name + " (forked) is not running: its heap is read from its JVM, so call start() first");
        }
        String answer = ask("heap");
        try {
            return Long.parseLong(answer.trim());
        } catch (NumberFormatException e) {
            throw new IllegalStateException(describe() + " answered 'heap " + answer + "', not a number of bytes", e);
        }
    }

    /** Sends {@code command} to the child and returns what follows the command in its answer. */
    private String ask(String command) {
        if (!process.isAlive()) {
            throw unanswered(command, "it " + ended() + " while serving");
        }
        stdoutLines.clear(); // a late answer to a question that timed out
        try {
            commands.write(command + "\n");
            commands.flush();
        } catch (IOException e) {
            throw unanswered(command, "its stdin is closed (" + e.getMessage() + "); it " + ended());
        }
        String line;
        try {
            line = nextLine(System.nanoTime() + ANSWER_TIMEOUT.toNanos());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unanswered(command, "interrupted while waiting for the answer");
        }
        if (line == null) {
            throw unanswered(command, stdoutEnded.isDone() ? "it " + ended()
                    : "no answer within " + ANSWER_TIMEOUT.toSeconds() + " s");
        }
        if (line.startsWith(command + " ")) {
            return line.substring(command.length() + 1);
        }
        throw unanswered(command, line.startsWith("error ") ? line.substring("error ".length()) : "it answered '" + line + "'");
    }

    private IllegalStateException unanswered(String command, String why) {
        return new IllegalStateException(describe() + " could not answer '" + command + "': " + why + lastLines());
    }

    @Override
    public OptionalLong serverPid() {
        Process p = process;
        return p != null && p.isAlive() ? OptionalLong.of(p.pid()) : OptionalLong.empty();
    }

    /** Never: the server's threads are in the child JVM. */
    @Override
    public boolean ownsThread(Thread thread) {
        return false;
    }

    @Override
    public String echoPrefix() {
        return described.echoPrefix();
    }

    @Override
    public EchoProtocol protocol() {
        return described.protocol();
    }

    @Override
    public boolean echoesBinary() {
        return described.echoesBinary();
    }

    @Override
    public boolean broadcasts() {
        return described.broadcasts();
    }

    @Override
    public boolean servesTls() {
        return described.servesTls();
    }

    /**
     * Closes the child's stdin and waits for it to exit; fails if it exited with an error (it died while serving, or its
     * server did not stop cleanly) or survives SIGTERM and SIGKILL.
     */
    @Override
    public synchronized void close() {
        Process child = process;
        int exitCode = stop();
        if (child != null && exitCode != 0) {
            throw new IllegalStateException(name + " (forked JVM, pid " + child.pid() + ") exited with code " + exitCode
                    + ", not the 0 of a clean stop at the end of its stdin: it died while serving, or its server failed to"
                    + " stop" + lastLines());
        }
    }

    /** Stops the child if there is one: its exit code, 0 when there was none. */
    private int stop() {
        Process child = process;
        if (child == null) {
            return 0;
        }
        process = null;
        try {
            commands.close(); // the child stops its server and exits at the end of its stdin
        } catch (IOException e) {
            // A child that is gone already has no stdin to close; the wait below tells how it ended.
        }
        boolean exited;
        try {
            exited = child.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            exited = false;
        }
        List<ProcessHandle> survivors = exited ? List.of() : ProcessTree.stop(child.toHandle(), STOP_GRACE);
        if (!survivors.isEmpty()) {
            throw new IllegalStateException(name + " (forked JVM, pid " + child.pid() + ") left processes running after"
                    + " its stdin closed, SIGTERM and SIGKILL: pids " + survivors.stream().map(p -> String.valueOf(p.pid())).toList()
                    + "; kill them by hand");
        }
        ProcessTree.stopped(child.toHandle());
        stderr.awaitEnd(STOP_GRACE);
        return exited ? child.exitValue() : 0; // one ended by a signal here was late, not failing
    }
}
