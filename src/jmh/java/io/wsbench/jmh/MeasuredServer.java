package io.wsbench.jmh;

import io.wsbench.client.ClientConfig;
import io.wsbench.client.EchoPayload;
import io.wsbench.client.MessageType;
import io.wsbench.record.ThreadCpu;
import io.wsbench.server.ServerConfig;
import io.wsbench.server.ServerTls;
import io.wsbench.client.PayloadContent;
import io.wsbench.placement.CpuPlan;
import io.wsbench.placement.Placement;
import io.wsbench.placement.ThreadPinner;
import io.wsbench.server.ServerSettings;
import io.wsbench.harness.ServerProcess;
import io.wsbench.harness.RunningServer;
import io.wsbench.wire.Transport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * What a benchmark measures, shared by every echo benchmark: the server parameters, the server itself (started in
 * each forked JVM before the trial, stopped after it) or the running server at {@code target}, and the client settings
 * that go with it. A benchmark takes it as an argument of its own {@code @Setup}, so JMH starts it first.
 *
 * <p>Every parameter is checked before the server starts, so a wrong value fails its trial at once with a message
 * naming the valid values; the benchmark's {@code type} and {@code payloadBytes} (against the message limit) are
 * checked here too. Once
 * the server runs, {@link EchoMetricsProfiler} learns which threads are the server's; at the end of the first iteration,
 * with the connections open, its live settings ({@link ServerSettings}) are printed into JMH's log and, with {@code
 * -jvmArgsAppend -Dwsbench.settingsFile=FILE}, appended to FILE, which starts with {@link #SETTINGS_FILE_HEADER} (the
 * scripts write {@code server-settings.txt} beside the JSON).
 */
@State(Scope.Benchmark)
public class MeasuredServer {
    /** System property naming a file each trial appends its server's live settings to. */
    public static final String SETTINGS_FILE_PROPERTY = "wsbench.settingsFile";

    /**
     * Embedded server (EchoServers' names; by default those that run on Java 17 inside this JVM), or a floor: rawtcp
     * (raw TCP through Netty) and socket (a blocking ServerSocket thread per connection). On Java 21+ also helidon,
     * jetty-vt and tomcat-vt; as child processes fastapi and flask-socketio. With a target, a label such as
     * netty@HOST.
     */
    @Param({"netty", "jetty", "tyrus", "undertow", "vertx", "tomcat", "javawebsocket", "rawtcp", "socket"})
    public String server;

    /** The equal-resources rule: I/O threads of every server, and at most as many workers (see ServerConfig). */
    @Param({"1"})
    public int serverThreads;

    /** Port the embedded server binds on 127.0.0.1: 0 for an ephemeral one, or a fixed port (e.g. one a firewall opens). */
    @Param({"0"})
    public int port;

    /** Netty transport for server and client: auto (epoll on Linux), epoll or nio; the other servers run JDK NIO. */
    @Param({"auto"})
    public String transport;

    /** A running server's URI (ws://, wss://, tcp://) to measure instead of an embedded one; empty: start {@code server}. */
    @Param({""})
    public String target;

    /** Accept any certificate from a wss:// target (a self-signed test server); false: the JDK trust store decides. */
    @Param({"false"})
    public boolean trustAllCertificates;

    /** Text the target puts in front of every echo (e.g. "Echo: "); the echo must then be it plus the message sent. */
    @Param({""})
    public String echoPrefix;

    /**
     * auto (an embedded server's own: socketio for flask-socketio, websocket for the others; websocket for a target),
     * websocket (each message one WebSocket message) or socketio (Socket.IO events over WebSocket, text only, for a
     * target such as ws://HOST:PORT/socket.io/?EIO=4&transport=websocket); a value an embedded server does not speak
     * fails. Set here too for callers outside JMH (tests) that leave it alone.
     */
    @Param({"auto"})
    public String protocol = "auto";

    /**
     * Which CPUs the client's and the server's threads run on ({@link Placement}): shared (both on one CPU, the JVM's
     * other threads on the rest), split (client and server on different CPUs) or none (not pinned: wherever the
     * scheduler puts them, which on a VM flips between the two); explicit CPUs as shared:2 or split:0/1. Pinned after
     * the server starts and again before each iteration; a server or client thread found off its CPUs at the end of
     * an iteration fails the trial. Callers outside JMH (tests) that leave it alone pin nothing.
     */
    @Param({Placement.DEFAULT})
    public String placement = Placement.Kind.NONE.paramValue();

    /**
     * The scenario parameters a benchmark may declare (tls and tlsProvider: every {@link AbstractLoadBenchmark};
     * compression and payloadContent: EchoLoadBenchmark, BroadcastBenchmark), read in {@link #start}.
     */
    public static final String TLS_PARAM = "tls";
    public static final String TLS_PROVIDER_PARAM = "tlsProvider";
    public static final String COMPRESSION_PARAM = "compression";
    public static final String PAYLOAD_CONTENT_PARAM = "payloadContent";
    /**
     * embedded (the server inside this JVM) or forked (in a child JVM of its own per trial); read like the scenario
     * parameters rather than declared here, so that only the benchmarks that declare it get one more parameter.
     */
    public static final String SERVER_PROCESS_PARAM = "serverProcess";

    private String type = "text";
    private ServerTls tls = ServerTls.NONE;
    private boolean compression;
    private PayloadContent payloadContent = PayloadContent.FIXED;
    private ServerProcess serverProcess = ServerProcess.EMBEDDED;
    private ServerConfig serverConfig;
    private ClientConfig clientConfig;
    private RunningServer serverUnderTest;
    private ThreadPinner pinner;
    /**
     * Notes the server's and the client's threads every {@link #NOTE_THREADS_MILLIS} ms, so that one that ends within
     * an iteration (a pool shrinking, a per-connection thread) keeps the CPU it had used in its role instead of
     * dropping out of it ({@link ThreadCpu#noteThreads}); its cost lands in jvmOther, on the other CPUs.
     */
    private ScheduledExecutorService threadNoter;
    private static final long NOTE_THREADS_MILLIS = 200;
    private ThreadCpu cpuAtIterationStart;
    private String trial = "";
    private boolean settingsRecorded;

    /** The benchmark's {@code type}, checked; text unless set. */
    void messageType(String value) {
        MessageType.parse(value);
        type = value;
    }

    /** JMH's entry: checks the parameters (the benchmark's payloadBytes among them), then starts the server. */
    @Setup(Level.Trial)
    public void start(BenchmarkParams benchmark) {
        if (benchmark.getParamsKeys().contains("type")) {
            messageType(benchmark.getParam("type"));
        }
        String payload = benchmark.getParamsKeys().contains("payloadBytes") ? benchmark.getParam("payloadBytes") : "0";
        scenario(param(benchmark, TLS_PARAM, "false"), param(benchmark, TLS_PROVIDER_PARAM, "jdk"),
                param(benchmark, COMPRESSION_PARAM, "none"), param(benchmark, PAYLOAD_CONTENT_PARAM, "fixed"));
        serverProcess(param(benchmark, SERVER_PROCESS_PARAM, ServerProcess.EMBEDDED.paramValue()));
        start(Integer.parseInt(payload));
        trial = benchmark.getBenchmark() + " " + benchmark.getParamsKeys().stream()
                .map(k -> k + "=" + benchmark.getParam(k)).toList();
    }

    /**
     * The server's live settings, read once per trial at the end of its first iteration, when its connections are
     * open and its threads running: into JMH's log and, with {@code -Dwsbench.settingsFile}, that file.
     */
    private void recordSettingsOnce() {
        if (settingsRecorded) {
            return;
        }
        settingsRecorded = true;
        String settings = describeSettings();
        System.out.println("\n# wsbench server settings: " + settings);
        String file = System.getProperty(SETTINGS_FILE_PROPERTY);
        if (file != null && !file.isBlank()) {
            appendSettingsLine(Path.of(file), trial + " -> " + settings);
        }
    }

    private static String param(BenchmarkParams benchmark, String key, String absent) {
        return benchmark.getParamsKeys().contains(key) ? benchmark.getParam(key) : absent;
    }

    /**
     * The scenario a benchmark asks for, checked before any server starts: {@code tls} (true/false) with {@code
     * tlsProvider} (jdk/openssl), {@code compression} (none/deflate: permessage-deflate offered by client and server),
     * {@code payloadContent} (fixed/random/json). For callers outside JMH (tests); JMH's entry reads them from the params.
     */
    public void scenario(String tlsParam, String tlsProviderParam, String compressionParam, String payloadContentParam) {
        if (!tlsParam.equals("true") && !tlsParam.equals("false")) {
            throw new IllegalArgumentException("tls must be true or false, was '" + tlsParam + "' (-p tls=true)");
        }
        tls = ServerTls.of(Boolean.parseBoolean(tlsParam), tlsProviderParam);
        compression = switch (compressionParam.trim()) {
            case "none" -> false;
            case "deflate" -> true;
            default -> throw new IllegalArgumentException("unknown compression '" + compressionParam + "': use none or deflate"
                    + " (permessage-deflate, RFC 7692), e.g. -p compression=deflate");
        };
        payloadContent = PayloadContent.parse(payloadContentParam);
    }

    /** Where the embedded server runs: embedded or forked. For callers outside JMH (tests); JMH's entry reads the param. */
    public void serverProcess(String serverProcessParam) {
        serverProcess = ServerProcess.parse(serverProcessParam);
    }

    /** Checks every parameter and that {@code payloadBytes} fits, then starts the server or takes the target. */
    public void start(int payloadBytes) {
        Transport chosen = Transport.parse(transport);
        CpuPlan cpuPlan = ThreadPinner.plan(Placement.parse(placement));
        serverConfig = ServerConfig.defaults().withServerThreads(serverThreads).withTransport(chosen).withPort(port)
                .withTls(tls).withCompression(compression);
        boolean external = target != null && !target.isBlank();
        RunningServer.requireScenario(server, target, tls, compression);
        clientConfig = ClientConfig.defaults()
                .withTimeoutsFrom(System.getProperties())
                .withTransport(chosen)
                .withMaxMessageBytes(serverConfig.maxMessageBytes())
                // The embedded server's certificate is the self-signed one made a moment ago in this JVM (or its child).
                .withTrustAllCertificates(trustAllCertificates || (tls.enabled() && !external))
                .withCompression(compression)
                .withPayloadContent(payloadContent)
                .withEchoPrefix(RunningServer.echoPrefix(server, target, echoPrefix))
                .withProtocol(RunningServer.protocol(server, target, protocol, type));
        clientConfig.requireMessageFits(payloadBytes);
        EchoPayload.requireSequenceFits(MessageType.parse(type), payloadBytes);
        RunningServer.requireConsistent(server, target, port, echoPrefix);
        serverUnderTest = RunningServer.start(server, target, serverConfig, serverProcess);
        // A forked server owns no thread here, and its pid is the child JVM's.
        EchoMetricsProfiler.serverThreads(serverUnderTest::ownsThread);
        EchoMetricsProfiler.serverProcess(serverUnderTest.serverPid());
        RunningServer started = serverUnderTest;
        // Made before the first pinning, so that it is pinned with the JVM's other threads, off the measured CPUs.
        threadNoter = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread noter = new Thread(task, "wsbench-cpu-noter");
            noter.setDaemon(true);
            return noter;
        });
        threadNoter.scheduleAtFixedRate(EchoMetricsProfiler::noteThreads, NOTE_THREADS_MILLIS, NOTE_THREADS_MILLIS,
                TimeUnit.MILLISECONDS);
        pinner = new ThreadPinner(cpuPlan, started::ownsThread, EchoMetricsProfiler::isClientThread, started::serverPid);
        pinner.pin();
    }

    /**
     * The CPU split of each iteration is taken here, inside the trial: JMH runs the trial teardown before the
     * profiler's end of the last iteration, when the server's threads are gone. A benchmark that measures its own
     * window (the load) publishes that one instead.
     */
    @Setup(Level.Iteration)
    public void startCpuWindow() {
        // Threads started since the last iteration (workers, carriers, the client's event loops) get their CPUs first.
        pinner.pin();
        cpuAtIterationStart = EchoMetricsProfiler.sampleCpu();
    }

    @TearDown(Level.Iteration)
    public void endCpuWindow() {
        EchoMetricsProfiler.publishCpu(cpuAtIterationStart.until(EchoMetricsProfiler.sampleCpu()));
        recordSettingsOnce();
        List<String> misplaced = pinner.misplaced();
        if (!misplaced.isEmpty()) {
            throw new IllegalStateException("placement=" + placement + " did not hold through the iteration ("
                    + pinner.plan().describe() + "): " + String.join("; ", misplaced) + ". A thread made during the"
                    + " iteration by a thread of another role inherits that role's CPUs; report it with the server's"
                    + " name, or run -p placement=none");
        }
    }

    @TearDown(Level.Trial)
    public void stop() {
        if (threadNoter != null) {
            threadNoter.shutdownNow();
            threadNoter = null;
        }
        EchoMetricsProfiler.serverThreads(null);
        EchoMetricsProfiler.serverProcess(null);
        if (serverUnderTest != null) {
            RunningServer stopping = serverUnderTest;
            serverUnderTest = null;
            stopping.close();
        }
    }

    /** Where clients connect. */
    public URI uri() {
        return serverUnderTest.uri();
    }

    /** The client settings that go with this server: timeouts, transport, message limit, TLS trust, echo prefix, protocol. */
    public ClientConfig clientConfig() {
        return clientConfig;
    }

    public RunningServer serverUnderTest() {
        return serverUnderTest;
    }

    private String describeSettings() {
        String settings = serverUnderTest.embedded() ? serverUnderTest.settings().describe()
                : server + ": external target " + serverUnderTest.uri() + " (settings are the remote server's business)";
        return settings + " | " + pinner.describe();
    }

    /** What a settings file holds, on its first line: one line per trial, and what a value marked configured is. */
    static final String SETTINGS_FILE_HEADER = "# One line per trial: BENCHMARK [PARAMS] -> SERVER: KEY=VALUE ... | placement;"
            + " " + ServerSettings.LEGEND;

    /** Appends {@code line} to the settings file, which a trial that finds it absent or empty starts with the header. */
    private static void appendSettingsLine(Path file, String line) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            boolean fresh = !Files.exists(file) || Files.size(file) == 0;
            String text = (fresh ? SETTINGS_FILE_HEADER + "\n" : "") + line + "\n";
            Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append the server settings to " + file + " (-D" + SETTINGS_FILE_PROPERTY
                    + "): " + e.getMessage(), e);
        }
    }
}
