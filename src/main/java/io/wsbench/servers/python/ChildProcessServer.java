package io.wsbench.servers.python;

import io.wsbench.server.ChildOutput;
import io.wsbench.server.EchoServer;
import io.wsbench.server.EmbeddedServerSupport;
import io.wsbench.server.ServerConfig;
import io.wsbench.server.ServerSettings;
import io.wsbench.server.ProcessTree;
import io.wsbench.server.ServerStartException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * An echo server that runs as a child process of this JVM: a Python app shipped in the jar under
 * {@code io/wsbench/servers/python/}, started by the interpreter {@link PythonInterpreter} finds.
 *
 * <p><b>Start.</b> The app's files are copied into a fresh temporary directory and run through {@code
 * wsbench_child.py}, which ends the app when this JVM's end of its stdin closes (so even a JVM killed with
 * SIGKILL leaves no server behind). The server binds port 0 itself and names the port it got in its start-up
 * line, which is read from its output: no window between choosing a free port and binding it, in which
 * another process could take it. Then the port must accept a TCP connection. Both within the start timeout
 * ({@value #START_TIMEOUT_PROPERTY}, 15 s by default), else the start fails with the last lines of output.
 *
 * <p><b>Output.</b> stdout and stderr, merged, go to {@code target/server-logs/NAME-TIME-PID.log} (or the
 * directory in {@value #LOG_DIR_PROPERTY}), at most {@value #MAX_LOG_BYTES} bytes per run.
 *
 * <p><b>Stop.</b> {@link #close()} sends SIGTERM to the process and every descendant, SIGKILL after {@link
 * #STOP_GRACE} to what is left, and fails if anything survives that; a shutdown hook kills whatever a JVM
 * that ends without calling close leaves. The app runs one process with one event loop, as in the article
 * it reproduces, so {@code serverThreads} must be 1.
 */
public abstract class ChildProcessServer implements EchoServer {
    /** Milliseconds a child server may take to name its port and accept a connection. */
    public static final String START_TIMEOUT_PROPERTY = "wsbench.serverStartTimeoutMillis";
    /** Directory for the child servers' output logs. */
    public static final String LOG_DIR_PROPERTY = "wsbench.serverLogDir";
    public static final long MAX_LOG_BYTES = 1L << 20;
    static final Duration STOP_GRACE = Duration.ofSeconds(5);
    private static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(15);
    private static final String RESOURCES = "/io/wsbench/servers/python/";
    private static final String LAUNCHER = "wsbench_child.py";
    private static final int TAIL_LINES = 20;
    private static final DateTimeFormatter LOG_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS");

    private final ServerConfig config;
    private Path workDir;
    private Process process;
    private ChildOutput output;
    private List<String> command = List.of();

    protected ChildProcessServer(ServerConfig config) {
        this.config = config;
    }

    /** Modules the interpreter must import for this server to run. */
    protected abstract List<String> modules();

    /** Python distributions whose versions describe this server (for the run record). */
    protected abstract List<String> distributions();

    /** The app's files, in the resource directory, that the command needs beside the launcher. */
    protected abstract List<String> files();

    /** The arguments after {@code python3 wsbench_child.py}: the app and its options, for {@code port} in {@code dir}. */
    protected abstract List<String> arguments(Path dir, ServerConfig config);

    /** The output line that names the port bound (group 1). */
    protected abstract Pattern portLine();

    /** Path and query of the endpoint clients connect to, e.g. {@code /ws}. */
    protected abstract String endpoint();

    /**
     * Adds what this server runs with to its settings, with {@link ServerSettings.Builder#putConfigured}: {@link ServerSettings#TRANSPORT}, {@link
     * ServerSettings#MAX_MESSAGE_BYTES}, {@link ServerSettings#IDLE_TIMEOUT_MS}, {@link ServerSettings#COMPRESSION}.
     */
    protected abstract void describe(ServerSettings.Builder settings, ServerConfig config);

    /** The article's apps echo only, over ws:// (no room, no TLS), as the article runs them. */
    @Override
    public boolean broadcasts() {
        return false;
    }

    @Override
    public boolean servesTls() {
        return false;
    }

    public ServerConfig config() {
        return config;
    }

    /** The interpreter this server runs under, found (and cached) on first use. */
    public PythonInterpreter interpreter() {
        return PythonInterpreter.find(name(), modules(), distributions());
    }

    @Override
    public final synchronized URI start() {
        if (process != null) {
            throw new IllegalStateException(name() + " server already started");
        }
        if (config.serverThreads() != 1) {
            throw new ServerStartException(name() + " runs as one Python process with one event loop, as in the article it"
                    + " reproduces; serverThreads=" + config.serverThreads() + " is not supported: use -p serverThreads=1");
        }
        PythonInterpreter python = interpreter();
        Duration timeout = startTimeout();
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            workDir = Files.createTempDirectory("wsbench-" + name() + "-");
            for (String file : concat(List.of(LAUNCHER), files())) {
                copyResource(file, workDir.resolve(file));
            }
            command = concat(List.of(python.executable(), "-u", workDir.resolve(LAUNCHER).toString()),
                    arguments(workDir, config));
            ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true);
            builder.environment().put("PYTHONDONTWRITEBYTECODE", "1");
            builder.environment().put("PYTHONUNBUFFERED", "1");
            Path log = newLogFile(name());
            process = builder.start();
            ProcessTree.killAtExit(process.toHandle());
            output = new ChildOutput(process.getInputStream(), log, MAX_LOG_BYTES, TAIL_LINES, portLine())
                    .start("wsbench-" + name() + "-output");
            int port = awaitPort(deadline, timeout);
            awaitAccepting(port, deadline, timeout);
            return URI.create("ws://" + hostForUri(config.host()) + ":" + port + endpoint());
        } catch (IOException e) {
            ServerStartException failure = failure("could not start (" + e.getMessage() + ")", e);
            stopQuietlyAfter(failure);
            throw failure;
        } catch (ServerStartException e) {
            stopQuietlyAfter(e);
            throw e;
        }
    }

    /** The port from the start-up line, or a failure saying why there is none. */
    private int awaitPort(long deadline, Duration timeout) {
        while (true) {
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                throw failure("named no port within " + timeout.toMillis() + " ms (-D" + START_TIMEOUT_PROPERTY + " to wait longer)", null);
            }
            try {
                Matcher line = output.firstMatch().get(Math.min(remaining, TimeUnit.MILLISECONDS.toNanos(100)), TimeUnit.NANOSECONDS);
                return Integer.parseInt(line.group(1));
            } catch (TimeoutException e) {
                if (!process.isAlive()) {
                    output.awaitEnd(Duration.ofSeconds(1));
                    throw exited();
                }
            } catch (ExecutionException e) {
                // The output ended without the line: the process exited or closed it. Give it a second to exit.
                try {
                    process.waitFor(1, TimeUnit.SECONDS);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw failure("start interrupted while waiting for the process to exit", interrupted);
                }
                throw process.isAlive() ? failure("closed its output without naming a port", e.getCause()) : exited();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw failure("start interrupted while waiting for the port", e);
            }
        }
    }

    /** Connects until the port accepts, the process dies, or the deadline passes. */
    private void awaitAccepting(int port, long deadline, Duration timeout) {
        String host = "0.0.0.0".equals(config.host()) || "::".equals(config.host()) ? "127.0.0.1" : config.host();
        IOException last = null;
        while (System.nanoTime() - deadline < 0) {
            if (!process.isAlive()) {
                throw exited();
            }
            try (Socket probe = new Socket()) {
                probe.connect(new InetSocketAddress(host, port), 1000);
                return;
            } catch (IOException e) {
                last = e;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw failure("start interrupted while waiting for port " + port + " to accept", e);
            }
        }
        throw failure("named port " + port + " but did not accept a connection there within " + timeout.toMillis() + " ms", last);
    }

    private ServerStartException exited() {
        String reason = "exited with code " + process.exitValue() + " during start-up";
        String text = String.join("\n", output.tail());
        if (config.port() != 0 && (text.contains("Address already in use") || text.contains("Errno 98"))) {
            reason = "could not bind " + config.host() + ":" + config.port() + ": port " + config.port() + " is already in use;"
                    + " stop whatever listens there, pick another port, or use port 0 for an ephemeral one (" + reason + ")";
        }
        return failure(reason, null);
    }

    private ServerStartException failure(String what, Throwable cause) {
        String log = output == null ? "" : ". Last lines of its output (all of it in " + output.logFile() + "):\n" + output.tailText();
        return new ServerStartException(name() + " (" + String.join(" ", command) + ") " + what + log, cause);
    }

    /** Stops a half-started server after a start failure, adding any trouble to that failure. */
    private void stopQuietlyAfter(ServerStartException failure) {
        try {
            close();
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    /**
     * One Python process with one event loop (the I/O thread; the echo runs on it, so no workers) and what the subclass
     * says it runs with, all configured (the app's command line and its libraries' defaults: nothing is asked of the
     * running app), and from the live process: its pid, its threads ({@code /proc/PID/status}) and the interpreter
     * and package versions.
     */
    @Override
    public synchronized ServerSettings settings() {
        EmbeddedServerSupport.requireStarted(process != null && process.isAlive(), name());
        ServerSettings.Builder settings = ServerSettings.of(name())
                .putConfigured(ServerSettings.IO_THREADS, 1)
                .putConfigured(ServerSettings.WORKER_THREADS, 0)
                .putConfigured(ServerSettings.ACCEPTOR_THREADS, 0);
        describe(settings, config);
        return settings.put(ServerSettings.LIVE_THREADS, osThreads(process.pid()))
                .put("pid", process.pid())
                .put("python", interpreter().versions())
                .build();
    }

    /** The {@code Threads:} line of {@code /proc/PID/status}: OS threads of the process. */
    private static String osThreads(long pid) {
        try {
            return Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream()
                    .filter(line -> line.startsWith("Threads:"))
                    .map(line -> line.substring("Threads:".length()).trim() + " (OS threads of pid " + pid + ")")
                    .findFirst().orElse("unknown");
        } catch (IOException e) {
            throw new UncheckedIOException("could not read /proc/" + pid + "/status", e);
        }
    }

    @Override
    public OptionalLong serverPid() {
        Process p = process;
        return p != null && p.isAlive() ? OptionalLong.of(p.pid()) : OptionalLong.empty();
    }

    /** The file the server's output goes to; null before start. */
    public Path log() {
        return output == null ? null : output.logFile();
    }

    @Override
    public final synchronized void close() {
        List<ProcessHandle> survivors = List.of();
        if (process != null) {
            survivors = ProcessTree.stop(process.toHandle(), STOP_GRACE);
            if (survivors.isEmpty()) {
                ProcessTree.stopped(process.toHandle());
            }
            try {
                process.getOutputStream().close();
            } catch (IOException e) {
                throw new UncheckedIOException("could not close the stdin of " + name() + " (pid " + process.pid() + ")", e);
            }
            if (output != null && !output.awaitEnd(STOP_GRACE)) {
                survivors = Stream.concat(survivors.stream(), Stream.of(process.toHandle())).distinct().toList();
            }
            process = null;
        }
        deleteWorkDir();
        if (!survivors.isEmpty()) {
            throw new IllegalStateException(name() + " left processes running after SIGTERM and SIGKILL: pids "
                    + survivors.stream().map(p -> String.valueOf(p.pid())).toList() + "; kill them by hand");
        }
    }

    private void deleteWorkDir() {
        if (workDir == null) {
            return;
        }
        Path dir = workDir;
        workDir = null;
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete " + name() + "'s temporary directory " + dir, e);
        }
    }

    /**
     * A new log file for a child server's output: {@code target/server-logs/LABEL-TIME-PID.log}, or in the directory
     * of {@value #LOG_DIR_PROPERTY}. Shared with {@code ForkedJvmServer}.
     */
    public static Path newLogFile(String label) throws IOException {
        Path dir = Path.of(System.getProperty(LOG_DIR_PROPERTY, "target/server-logs"));
        Files.createDirectories(dir);
        return dir.resolve(label + "-" + LocalDateTime.now().format(LOG_TIME) + "-" + ProcessHandle.current().pid() + ".log");
    }

    /** How long a child server may take to start: {@value #START_TIMEOUT_PROPERTY}, 15 s by default. */
    public static Duration startTimeout() {
        String value = System.getProperty(START_TIMEOUT_PROPERTY);
        if (value == null) {
            return DEFAULT_START_TIMEOUT;
        }
        try {
            long millis = Long.parseLong(value.trim());
            if (millis > 0) {
                return Duration.ofMillis(millis);
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("-D" + START_TIMEOUT_PROPERTY + "=" + value + " is not a positive whole number"
                    + " of milliseconds", e);
        }
        throw new IllegalArgumentException("-D" + START_TIMEOUT_PROPERTY + "=" + value + " is not a positive whole number of milliseconds");
    }

    private static void copyResource(String name, Path target) throws IOException {
        try (InputStream in = ChildProcessServer.class.getResourceAsStream(RESOURCES + name)) {
            if (in == null) {
                throw new IOException("resource " + RESOURCES + name + " is missing from the classpath; rebuild the jar");
            }
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static String hostForUri(String host) {
        return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
