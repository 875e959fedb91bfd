package io.wsbench.jmh;

import io.wsbench.client.ClientConfig;
import io.wsbench.client.EchoClient;
import io.wsbench.record.HistogramLog;
import io.wsbench.record.LoadIteration;
import io.wsbench.record.RateCheck;
import io.wsbench.record.ScenarioMetric;
import io.wsbench.record.ScenarioPercentile;
import io.wsbench.record.ThreadCpu;
import io.wsbench.results.HlogNames;
import io.wsbench.results.MetricNames;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
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
 * What the load-style benchmarks (echo load, broadcast, idle connections) share, through JMH's inheritance as {@code
 * AbstractCodecBenchmark} does for the codecs: the defaults (throughput, one thread, 2 forks; a subclass's own
 * annotation wins), the parameters every one of them has, and the lifecycle written once. The trial opens the client
 * and the benchmark's {@link LoadDriver}, and the latency log; each iteration resets the recorders, takes its own CPU
 * window, runs the load only between its setup and teardown, checks the open loop's rate, hands the iteration to
 * {@link EchoMetricsProfiler} and writes a measured one's latency to the log; the trial's end closes log, driver and
 * client in that order, each even if one before it failed.
 *
 * <p>One JMH operation is one verified operation of the driver (an echo, a delivery): the subclass's {@code @Benchmark}
 * method returns {@link #nextOperation()}. JMH runs helper methods of one state in an order of its own, so this class
 * has the only {@code @Setup} and {@code @TearDown}; a subclass fills in the hooks and declares no helper of its own.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
@Fork(value = 2, jvmArgsPrepend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Timeout(time = 2, timeUnit = TimeUnit.MINUTES)
public abstract class AbstractLoadBenchmark {
    /** Message size in bytes (a broadcast message's 20-byte header, publisher and due time, included). */
    @Param({"64"})
    public int payloadBytes;

    /** WebSocket message type: text (UTF-8, validated by the server) or binary. */
    @Param({"text"})
    public String type;

    /** Client event loops the connections are spread over; at 1 the client has one core, the server the other. */
    @Param({"1"})
    public int clientThreads;

    /** wss:// with a self-signed certificate made at start (every JVM WebSocket server), or plain ws://. */
    @Param({"false"})
    public String tls;

    /** With tls=true: jdk (the JDK's SSLEngine, every server) or openssl (BoringSSL, netty only). */
    @Param({"jdk"})
    public String tlsProvider;

    /** What one operation is, plural, for the messages: echoes, deliveries. */
    private final String operations;
    private final Duration closeBudget;

    private EchoClient client;
    private LoadDriver driver;
    private HistogramLog histogramLog;
    private String stallMessage;
    private long stallLimitNanos;
    private boolean toldAboutProfiler;

    // The current iteration.
    private boolean measuring;
    private ThreadCpu cpuAtStart;
    private long startEpochMillis;
    private long startNanos;
    private long verifiedAtStart;
    private long wireBytesAtStart;

    // The JMH thread's count of operations seen but not yet returned.
    private long seen;
    private long unclaimed;

    protected AbstractLoadBenchmark(String operations, Duration closeBudget) {
        this.operations = operations;
        this.closeBudget = closeBudget;
    }

    /** Fails on a parameter of the subclass's own it cannot honour, naming it and a value that works. */
    protected abstract void requireRunnable(BenchmarkParams benchmark, ClientConfig clientConfig);

    /** The longest a connection rightly goes without sending (the open loop's gap), added to the stall limit. */
    protected abstract Duration longestSendGap();

    /** What the trial measures before its client exists (memory without the connections); nothing by default. */
    protected void beforeConnecting(MeasuredServer server) {
    }

    /** Opens the connections, and nothing else: a failure after it must find the driver to close. */
    protected abstract LoadDriver connect(BenchmarkParams benchmark, MeasuredServer server, EchoClient client);

    /**
     * What the trial measures or opens once the connections are open (memory with them, a log of its own: closed in
     * {@link #closeOwn}); nothing by default.
     */
    protected void connected(BenchmarkParams benchmark, MeasuredServer server) throws IOException {
    }

    /** The latency log's header after the parameters, e.g. {@code round-trip latency in microseconds from ...}. */
    protected abstract String latencyMeasured();

    /** Operations per second the iteration must reach to be valid; empty for a closed loop, which sets its own pace. */
    protected abstract OptionalDouble expectedRate();

    /** What else the scenario measured in the iteration just ended (bytes on the wire, the slow member, ...). */
    protected abstract ScenarioResults scenarioResults(IterationEnd end);

    /** Closes what {@link #connected} opened, after the latency log and before the connections. */
    protected void closeOwn() throws IOException {
    }

    /** A scenario's own metrics and percentiles of one iteration. */
    public record ScenarioResults(List<ScenarioMetric> metrics, List<ScenarioPercentile> percentiles) {
        public static ScenarioResults of(List<ScenarioMetric> metrics) {
            return new ScenarioResults(metrics, List.of());
        }
    }

    /**
     * The iteration just ended: its window in epoch milliseconds (for interval histograms), what the driver verified in
     * it, the client's bytes on the wire and whether it was a measurement iteration.
     */
    public record IterationEnd(long startEpochMillis, long endEpochMillis, long verified, long wireBytes,
            boolean measured) {
        /** Bytes on the wire per verified message, both directions, framing and TLS included; none if none verified. */
        public List<ScenarioMetric> wireBytesPerMessage() {
            return verified == 0 ? List.of()
                    : List.of(new ScenarioMetric(MetricNames.WIRE_BYTES_PER_MESSAGE, (double) wireBytes / verified, "B/msg"));
        }
    }

    @Setup(Level.Trial)
    public final void openTrial(BenchmarkParams benchmark, MeasuredServer server) throws IOException {
        LoadScaffold.requireOneThreadThroughput(benchmark, operations);
        if (clientThreads < 1) {
            throw new IllegalArgumentException("clientThreads must be at least 1, was " + clientThreads + " (-p clientThreads=1)");
        }
        if (tls.equals("false") && !tlsProvider.equals("jdk")) {
            throw new IllegalArgumentException("tlsProvider=" + tlsProvider + " without tls=true measures nothing of it; add"
                    + " -p tls=true");
        }
        ClientConfig clientConfig = server.clientConfig().withIoThreads(clientThreads);
        requireRunnable(benchmark, clientConfig);
        stallLimitNanos = clientConfig.echoTimeout().toNanos() + TimeUnit.SECONDS.toNanos(1) + longestSendGap().toNanos();
        try {
            beforeConnecting(server);
            client = new EchoClient(clientConfig);
            driver = connect(benchmark, server, client);
            stallMessage = driver.stallMessage();
            connected(benchmark, server);
            histogramLog = HistogramLog.create(LoadScaffold.hlogDir(),
                    HlogNames.forkLogPrefix(benchmark.getBenchmark(), LoadScaffold.params(benchmark)),
                    LoadScaffold.describe(benchmark) + " | " + latencyMeasured()
                            + ", one interval histogram per measurement iteration", System.currentTimeMillis());
        } catch (RuntimeException | IOException e) {
            closeInOrder(e);
            throw e;
        }
    }

    /** A log of one of the scenario's own histograms, {@code metric} in its name, {@code what} in its header. */
    protected static HistogramLog metricLog(BenchmarkParams benchmark, String metric, String what, long startMillis)
            throws IOException {
        return HistogramLog.create(LoadScaffold.hlogDir(),
                HlogNames.metricLogPrefix(benchmark.getBenchmark(), LoadScaffold.params(benchmark), metric),
                LoadScaffold.describe(benchmark) + " | " + what, startMillis);
    }

    @Setup(Level.Iteration)
    public final void startIteration(IterationParams iteration) {
        measuring = iteration.getType() == IterationType.MEASUREMENT;
        driver.resetRecorders();
        cpuAtStart = EchoMetricsProfiler.sampleCpu();
        startEpochMillis = System.currentTimeMillis();
        verifiedAtStart = driver.verified();
        wireBytesAtStart = client.wireBytes().total();
        seen = verifiedAtStart;
        unclaimed = 0;
        startNanos = System.nanoTime();
        driver.start();
    }

    /**
     * The body of the subclass's {@code @Benchmark} method: takes one verified operation off the count, waiting (1 ms at
     * a time) when there is none yet and throwing a connection's failure as soon as it is seen.
     */
    protected final long nextOperation() {
        if (unclaimed == 0) {
            unclaimed = LoadScaffold.awaitMore(driver::verified, seen, driver::throwIfFailed, stallLimitNanos, stallMessage);
            seen += unclaimed;
        }
        return --unclaimed;
    }

    @TearDown(Level.Iteration)
    public final void endIteration() {
        long stopNanos = System.nanoTime();
        long verifiedWhileSending = driver.verified() - verifiedAtStart;
        driver.stop();
        ThreadCpu cpuAtEnd = EchoMetricsProfiler.sampleCpu();
        long endEpochMillis = System.currentTimeMillis();
        Histogram latency = driver.latency().intervalHistogram(startEpochMillis, endEpochMillis);
        Histogram sendLag = driver.sendLag().intervalHistogram(startEpochMillis, endEpochMillis);
        double achieved = verifiedWhileSending * 1e9 / (stopNanos - startNanos);
        OptionalDouble expected = expectedRate();
        Optional<RateCheck> rateCheck = expected.isPresent()
                ? Optional.of(new RateCheck(expected.getAsDouble(), achieved)) : Optional.empty();
        rateCheck.filter(check -> !check.valid()).ifPresent(check -> System.out.println("\n!!! " + check.describe()));
        long verified = driver.verified() - verifiedAtStart;
        ScenarioResults scenario = scenarioResults(new IterationEnd(startEpochMillis, endEpochMillis, verified,
                client.wireBytes().total() - wireBytesAtStart, measuring));
        EchoMetricsProfiler.publish(new LoadIteration(latency, sendLag, verified, achieved, rateCheck,
                cpuAtStart.until(cpuAtEnd), scenario.metrics(), scenario.percentiles()));
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
    public final void closeTrial() {
        closeInOrder(null);
    }

    /** Closes what was opened, in reverse order, each step even if an earlier one failed. */
    private void closeInOrder(Throwable alreadyFailing) {
        HistogramLog log = histogramLog;
        LoadDriver opened = driver;
        EchoClient closing = client;
        histogramLog = null;
        driver = null;
        client = null;
        LoadScaffold.closeInOrder(alreadyFailing, log, this::closeOwn, opened == null ? null : () -> opened.close(closeBudget),
                closing);
    }
}
