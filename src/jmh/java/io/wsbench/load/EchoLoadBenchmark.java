package io.wsbench.load;

import io.wsbench.client.ClientConfig;
import io.wsbench.client.EchoClient;
import io.wsbench.client.EchoLoad;
import io.wsbench.client.LoadModel;
import io.wsbench.client.MessageType;
import io.wsbench.client.OpenLoopSchedule;
import io.wsbench.jmh.EchoMetricsProfiler;
import io.wsbench.jmh.LoadScaffold;
import io.wsbench.jmh.MeasuredServer;
import io.wsbench.record.ThreadCpu;
import io.wsbench.results.HlogNames;
import io.wsbench.record.HistogramLog;
import io.wsbench.record.LoadIteration;
import io.wsbench.record.ScenarioMetric;
import io.wsbench.results.MetricNames;
import io.wsbench.record.RateCheck;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Timeout;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * The classic echo scenario at scale: {@code connections} WebSocket (or raw-TCP) connections to one
 * server, all open for the whole trial, echoing {@code payloadBytes}-byte messages under a closed or
 * an open loop; every echo verified byte for byte, every latency recorded in an HdrHistogram.
 *
 * <pre>
 * java -jar target/benchmarks.jar EchoLoadBenchmark -p server=netty,rawtcp -p connections=100 \
 *     -prof io.wsbench.jmh.EchoMetricsProfiler -prof gc -rf json          # closed and open loop
 * java -jar target/benchmarks.jar EchoLoadBenchmark -p server=netty -p connections=1000 -p loadModel=open -p rate=20000 \
 *     -prof io.wsbench.jmh.EchoMetricsProfiler -jvmArgsAppend -Dwsbench.hlogDir=results/hlog
 * java -jar target/benchmarks.jar EchoLoadBenchmark -p server=netty -p connections=10 -f 1 -wi 1 -w 1s -i 1 -r 1s   # quick look
 * java -jar target/benchmarks.jar EchoLoadBenchmark -p server=netty,jetty -p connections=100 -p loadModel=closed \
 *     -p tls=true -p tlsProvider=jdk,openssl -prof io.wsbench.jmh.EchoMetricsProfiler                      # wss
 * java -jar target/benchmarks.jar EchoLoadBenchmark -p server=netty,jetty -p connections=100 -p loadModel=closed \
 *     -p compression=none,deflate -p payloadContent=random,json -p payloadBytes=1024 -prof io.wsbench.jmh.EchoMetricsProfiler
 * </pre>
 * {@code scripts/load --tls} and {@code scripts/load --deflate} run those as presets.
 * <p>{@code scripts/load} runs the default preset, {@code scripts/capacity} finds the highest rate each
 * server sustains.
 *
 * <p><b>Load models.</b> {@code closed}: each connection keeps {@code inFlight} messages outstanding
 * and sends the next the moment an echo arrives, so the server sets the pace (saturation
 * throughput). {@code open}: {@code rate} messages per second in total, spread evenly over the
 * connections with staggered start offsets, paced on the client's event loops; latency is measured
 * from the time each message was <i>due</i>, so a server (or client) that falls behind pays for the
 * whole backlog, as wrk2 measures it; {@code sendLag.p99} shows how much of that is the client
 * sending late against its schedule. An open-loop iteration whose echo rate falls more than 5 % short
 * of {@code rate} is invalid: a loud INVALID line on the console, {@code valid = 0} and {@code
 * rateShortfallPercent} in the results.
 *
 * <p><b>Score.</b> One JMH operation is one verified echo: the benchmark method takes one echo off the
 * count the event loops keep, parking 1 ms when there is none yet, so the score is echoes per second
 * and {@code -prof gc}'s {@code gc.alloc.rate.norm} reads as bytes allocated per echoed message (by the
 * whole JVM: client and server). The method checks for a failed connection whenever the count runs
 * dry and throws it, so a broken echo fails the trial within milliseconds. Load runs only between
 * {@code @Setup} and {@code @TearDown} of each iteration: teardown stops sending and waits for every
 * outstanding echo, so no backlog spills into the next iteration and warmup never reaches the
 * measured histograms.
 *
 * <p><b>Secondary metrics</b> come from {@code -prof io.wsbench.jmh.EchoMetricsProfiler} (see there
 * for names and units): latency percentiles, achieved rate, validity, and CPU by who used it, each
 * per message and as % of one core: the <b>server</b> (the threads its {@code ownsThread} claims, with
 * a virtual-thread server the JDK's carriers and pollers too; a child process's whole tree), the
 * <b>client</b> (threads wsbench-client-* and the JMH worker), and the JVM's own GC, JIT and rest
 * apart from both. If client and server together approach the cores the machine has, the machine,
 * not the server, was the limit. With an external {@code target} no server runs in this JVM and
 * its CPU is not measured here.
 *
 * <p><b>Histogram log.</b> Each fork writes its measurement iterations' latency histograms (µs, one
 * interval per iteration) as an HdrHistogram log {@code <benchmark>-<params>-forkN.hlog} into {@code
 * target/hlog}, or the directory given with {@code -jvmArgsAppend -Dwsbench.hlogDir=DIR} (where files
 * go is not a measured dimension, so it is not a parameter). Read them with {@code java -cp
 * target/benchmarks.jar org.HdrHistogram.HistogramLogProcessor -i FILE -outputValueUnitRatio 1000} (ms).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
@Fork(value = 2, jvmArgsPrepend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Timeout(time = 2, timeUnit = TimeUnit.MINUTES)
public class EchoLoadBenchmark {
    private static final Duration CLOSE_BUDGET = Duration.ofSeconds(30);

    /** Concurrent connections, all opened (50 handshakes at a time, or over rampMillis) before the first iteration. */
    @Param({"1", "10", "100", "1000"})
    public int connections;

    /** Message size in bytes. */
    @Param({"64"})
    public int payloadBytes;

    /** WebSocket message type: text (UTF-8, validated by the server) or binary. */
    @Param({"text"})
    public String type;

    /** closed (fixed messages in flight per connection) or open (fixed total rate). */
    @Param({"closed", "open"})
    public String loadModel;

    /** Closed loop: messages each connection keeps in flight. Ignored by the open loop. */
    @Param({"1"})
    public int inFlight;

    /** Open loop: messages per second over all connections together. Ignored by the closed loop. */
    @Param({"10000"})
    public int rate;

    /**
     * Milliseconds over which the connections are opened, evenly, in the trial's setup (the FastAPI vs Flask-SocketIO
     * article ramps its 100 clients in over 10 s: 10000); 0 opens them at once. Warmup starts when all are open.
     */
    @Param({"0"})
    public int rampMillis;

    /** Client event loops the connections are spread over; at 1 the client has one core, the server the other. */
    @Param({"1"})
    public int clientThreads;

    /**
     * Open loop: the pacer's tick in µs. Messages are due on a grid of ticks (each message's evenly spaced due time
     * rounded down to its tick) and each tick's messages are sent together, so the pacer wakes once per tick, not once
     * per message; 0 sends each message at its own evenly spaced time. Ignored by the closed loop.
     */
    @Param({"1000"})
    public int tickMicros;

    /** wss:// with a self-signed certificate made at start (every JVM WebSocket server), or plain ws://. */
    @Param({"false"})
    public String tls;

    /** With tls=true: jdk (the JDK's SSLEngine, every server) or openssl (BoringSSL, netty only). */
    @Param({"jdk"})
    public String tlsProvider;

    /** none, or deflate: permessage-deflate offered by the client and enabled on the server (RFC 7692). */
    @Param({"none"})
    public String compression;

    /** fixed (one template per connection), random (fresh incompressible bytes per message) or json (fresh JSON records). */
    @Param({"fixed"})
    public String payloadContent;

    private LoadModel model;
    private OpenLoopSchedule schedule;
    private MeasuredServer measured;
    private EchoClient client;
    private EchoLoad load;
    private HistogramLog histogramLog;
    private long stallLimitNanos;
    private boolean toldAboutProfiler;

    // The current iteration.
    private boolean measuring;
    private ThreadCpu cpuAtStart;
    private long startEpochMillis;
    private long startNanos;
    private long echoedAtStart;
    private long wireBytesAtStart;

    // The JMH thread's count of echoes seen but not yet returned as operations.
    private long echoesSeen;
    private long unclaimedEchoes;

    @Setup(Level.Trial)
    public void connect(BenchmarkParams benchmark, MeasuredServer server) throws IOException {
        requireRunnable(benchmark);
        measured = server;
        model = LoadModel.parse(loadModel);
        if (model == LoadModel.OPEN) {
            schedule = new OpenLoopSchedule(rate, connections, Duration.ofNanos(TimeUnit.MICROSECONDS.toNanos(tickMicros)));
            schedule.requireEveryConnectionSendsWithin(LoadScaffold.shortestIteration(benchmark));
        }
        MessageType messageType = MessageType.parse(type);
        if (tls.equals("false") && !tlsProvider.equals("jdk")) {
            throw new IllegalArgumentException("tlsProvider=" + tlsProvider + " without tls=true measures nothing of it; add"
                    + " -p tls=true");
        }
        ClientConfig clientConfig = server.clientConfig().withIoThreads(clientThreads);
        if (inFlight > clientConfig.maxInFlightPerConnection()) {
            throw new IllegalArgumentException("inFlight=" + inFlight + " is above the client's limit of "
                    + clientConfig.maxInFlightPerConnection() + " messages in flight per connection; lower -p inFlight");
        }
        stallLimitNanos = clientConfig.echoTimeout().toNanos() + TimeUnit.SECONDS.toNanos(1)
                + (schedule == null ? 0 : schedule.perConnectionInterval().toNanos());
        try {
            client = new EchoClient(clientConfig);
            load = EchoLoad.open(client, server.uri(), messageType, payloadBytes, connections,
                    EchoLoad.DEFAULT_MAX_PENDING_HANDSHAKES, Duration.ofMillis(rampMillis));
            histogramLog = HistogramLog.create(LoadScaffold.hlogDir(),
                    HlogNames.forkLogPrefix(benchmark.getBenchmark(), LoadScaffold.params(benchmark)), describe(benchmark, model), System.currentTimeMillis());
        } catch (RuntimeException | IOException e) {
            closeEverything(e);
            throw e;
        }
    }

    /** Fails on an option or parameter this benchmark cannot honour, saying which and what to do instead. */
    private void requireRunnable(BenchmarkParams benchmark) {
        LoadScaffold.requireOneThreadThroughput(benchmark, "echoes");
        if (connections < 1) {
            throw new IllegalArgumentException("connections must be at least 1, was " + connections + " (-p connections=100)");
        }
        if (rampMillis < 0) {
            throw new IllegalArgumentException("rampMillis must be 0 (no ramp) or more, was " + rampMillis + " (-p rampMillis=10000)");
        }
        if (inFlight < 1) {
            throw new IllegalArgumentException("inFlight must be at least 1, was " + inFlight + " (-p inFlight=1)");
        }
        if (clientThreads < 1) {
            throw new IllegalArgumentException("clientThreads must be at least 1, was " + clientThreads + " (-p clientThreads=1)");
        }
        if (tickMicros < 0) {
            throw new IllegalArgumentException("tickMicros must be 0 (no tick) or positive, was " + tickMicros + " (-p tickMicros=1000)");
        }
        if (rate <= 0) {
            throw new IllegalArgumentException("rate must be a positive number of messages per second, was " + rate
                    + " (-p rate=10000)");
        }
    }

    private static String describe(BenchmarkParams benchmark, LoadModel model) {
        String from = model == LoadModel.OPEN ? "from each message's due time (open loop, coordinated omission corrected)"
                : "from each message's actual send (closed loop)";
        return LoadScaffold.describe(benchmark) + " | round-trip latency in microseconds " + from
                + ", one interval histogram per measurement iteration";
    }

    @Setup(Level.Iteration)
    public void startLoad(IterationParams iteration) {
        measuring = iteration.getType() == IterationType.MEASUREMENT;
        load.latency().reset();
        load.sendLag().reset();
        cpuAtStart = EchoMetricsProfiler.sampleCpu();
        startEpochMillis = System.currentTimeMillis();
        echoedAtStart = load.echoed();
        wireBytesAtStart = client.wireBytes().total();
        echoesSeen = echoedAtStart;
        unclaimedEchoes = 0;
        startNanos = System.nanoTime();
        if (model == LoadModel.CLOSED) {
            load.startClosedLoop(inFlight);
        } else {
            load.startOpenLoop(schedule);
        }
    }

    /** One operation = one verified echo. */
    @Benchmark
    public long echo() {
        if (unclaimedEchoes == 0) {
            unclaimedEchoes = awaitEchoes();
        }
        return --unclaimedEchoes;
    }

    /** Waits for echoes not yet counted, throwing a connection's failure as soon as it is seen. */
    private long awaitEchoes() {
        long fresh = LoadScaffold.awaitMore(load::echoed, echoesSeen, load::throwIfFailed, stallLimitNanos,
                "no echo from " + load.target());
        echoesSeen += fresh;
        return fresh;
    }

    @TearDown(Level.Iteration)
    public void stopLoad() {
        long stopNanos = System.nanoTime();
        long echoedWhileSending = load.echoed() - echoedAtStart;
        load.stop();
        ThreadCpu cpuAtEnd = EchoMetricsProfiler.sampleCpu();
        long endEpochMillis = System.currentTimeMillis();
        Histogram latency = load.latency().intervalHistogram(startEpochMillis, endEpochMillis);
        Histogram sendLag = load.sendLag().intervalHistogram(startEpochMillis, endEpochMillis);
        double achieved = echoedWhileSending * 1e9 / (stopNanos - startNanos);
        Optional<RateCheck> openLoopRate = model == LoadModel.OPEN ? Optional.of(new RateCheck(rate, achieved)) : Optional.empty();
        openLoopRate.filter(check -> !check.valid()).ifPresent(check -> System.out.println("\n!!! " + check.describe()));
        long echoed = load.echoed() - echoedAtStart;
        List<ScenarioMetric> wire = echoed == 0 ? List.of() : List.of(new ScenarioMetric(MetricNames.WIRE_BYTES_PER_MESSAGE,
                (double) (client.wireBytes().total() - wireBytesAtStart) / echoed, "B/msg"));
        EchoMetricsProfiler.publish(new LoadIteration(latency, sendLag, echoed, achieved, openLoopRate,
                cpuAtStart.until(cpuAtEnd), wire, List.of()));
        if (measuring) {
            histogramLog.write(latency);
        }
        if (!EchoMetricsProfiler.isActive() && !toldAboutProfiler) {
            toldAboutProfiler = true;
            System.out.println("\n(add -prof io.wsbench.jmh.EchoMetricsProfiler for latency percentiles, achieved rate,"
                    + " validity and CPU; latency histograms go to " + histogramLog.path() + ")");
        }
    }

    @TearDown(Level.Trial)
    public void closeConnectionsAndStopServer() {
        closeEverything(null);
    }

    /** Closes what was opened, in reverse order, each step even if an earlier one failed. */
    private void closeEverything(Throwable alreadyFailing) {
        HistogramLog log = histogramLog;
        EchoLoad opened = load;
        histogramLog = null;
        load = null;
        EchoClient closing = client;
        client = null;
        LoadScaffold.closeInOrder(alreadyFailing, log, opened == null ? null : () -> opened.close(CLOSE_BUDGET), closing);
    }
}
