package io.wsbench.idle;

import io.wsbench.client.ClientConfig;
import io.wsbench.client.ConnectionLimits;
import io.wsbench.client.EchoClient;
import io.wsbench.client.EchoLoad;
import io.wsbench.client.MessageType;
import io.wsbench.client.OpenLoopSchedule;
import io.wsbench.jmh.AbstractLoadBenchmark;
import io.wsbench.jmh.EchoLoadDriver;
import io.wsbench.jmh.LoadDriver;
import io.wsbench.jmh.LoadScaffold;
import io.wsbench.jmh.MeasuredServer;
import io.wsbench.record.HistogramLog;
import io.wsbench.record.ProcessMemory;
import io.wsbench.record.ProcessTreeUsage;
import io.wsbench.record.ScenarioMetric;
import io.wsbench.record.ScenarioPercentile;
import io.wsbench.results.MetricNames;
import io.wsbench.harness.RunningServer;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Timeout;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * Connection scale, the notification service's load: {@code connections} WebSocket connections held open, almost all
 * idle. The trial's setup opens them (at most 50 handshakes at a time, spread over {@code rampMillis}) and measures
 * what that took and what they cost; each iteration then echoes on {@code activePercent} of them (at least one) at a
 * fixed total {@code rate}, open loop, every echo verified, while the rest stay idle.
 *
 * <pre>
 * java -jar target/benchmarks.jar IdleConnectionsBenchmark -p server=netty,jetty -p connections=1000,5000,9000 \
 *     -prof io.wsbench.jmh.EchoMetricsProfiler
 * java -jar target/benchmarks.jar IdleConnectionsBenchmark -p server=netty -p connections=18000 -p serverProcess=forked \
 *     -prof io.wsbench.jmh.EchoMetricsProfiler
 * </pre>
 * {@code scripts/idle} runs the preset.
 *
 * <p><b>What it reports</b> (secondary metrics, constant over a trial's iterations, as they are measured once):
 * {@code connect.perSecond} (connections opened per second, first connect to last handshake), {@code handshake.p50}
 * and {@code .p99} (µs, TCP connect plus TLS and WebSocket handshakes of each connection; handed over with each fork's
 * first measured iteration only, so that over forks they are percentiles of every handshake once, merged, with the
 * fork's histogram in {@code ...-handshake-fork<N>.hlog} beside the latency log), {@code
 * heap.bytesPerConnection} (heap used after a full GC with the connections open, minus the same before them, per
 * connection) and {@code rss.bytesPerConnection} (resident memory, likewise). With the server in the benchmark JVM
 * ({@code serverProcess=embedded}, the default) both are of that one JVM: the client's connections are in them too.
 * With {@code serverProcess=forked} they are the server's own process's, and {@code client.heap.bytesPerConnection}
 * is the client's. The score is verified echoes per second of the active connections, with their latency
 * ({@code latency.*}, from each message's due time) and CPU as in {@code EchoLoadBenchmark}.
 *
 * <p><b>Limits here.</b> A process may hold at most 20,000 open files on this machine (a hard limit), and one source
 * address has the ephemeral ports 32768–60999: with client and server in one JVM (two descriptors per connection)
 * about 9,800 connections fit, with the server forked about 19,600. A count above what the limits allow fails at once
 * naming the limit, the number needed and the way out ({@link ConnectionLimits}).
 */
@Fork(value = 2, jvmArgsPrepend = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Timeout(time = 5, timeUnit = TimeUnit.MINUTES)
public class IdleConnectionsBenchmark extends AbstractLoadBenchmark {
    private static final int GC_ROUNDS = 2;

    /** Connections held open for the whole trial. */
    @Param({"1000", "5000", "9000"})
    public int connections;

    /** Percent of the connections that echo during the iterations (at least one); the others stay idle. */
    @Param({"1"})
    public int activePercent;

    /** Echoes per second over all active connections, open loop. */
    @Param({"1000"})
    public int rate;

    /** Milliseconds over which the connections are opened, evenly; 0: as fast as 50 handshakes at a time allow. */
    @Param({"0"})
    public int rampMillis;

    /** embedded (the server in the benchmark JVM) or forked (the same server class in a child JVM). */
    @Param({"embedded"})
    public String serverProcess;

    private OpenLoopSchedule schedule;
    private EchoLoad load;
    private Memory before;
    private long openingStartMillis;
    private List<ScenarioMetric> opening;
    /** Every connection's handshake; handed to the profiler once, with the first measured iteration. */
    private List<ScenarioPercentile> handshakes;

    public IdleConnectionsBenchmark() {
        super("echoes", Duration.ofSeconds(120));
    }

    /** One operation = one verified echo on an active connection. */
    @Benchmark
    public long echo() {
        return nextOperation();
    }

    @Override
    protected void requireRunnable(BenchmarkParams benchmark, ClientConfig clientConfig) {
        if (activePercent < 1 || activePercent > 100 || rate < 1 || rampMillis < 0) {
            throw new IllegalArgumentException("activePercent must be 1..100, rate positive, rampMillis 0 or more (were "
                    + activePercent + ", " + rate + ", " + rampMillis + ")");
        }
        int active = Math.max(1, connections * activePercent / 100);
        schedule = new OpenLoopSchedule(rate, active, Duration.ofMillis(1));
        schedule.requireEveryConnectionSendsWithin(LoadScaffold.shortestIteration(benchmark));
    }

    @Override
    protected Duration longestSendGap() {
        return schedule.perConnectionInterval();
    }

    @Override
    protected void beforeConnecting(MeasuredServer server) {
        RunningServer measured = server.serverUnderTest();
        ConnectionLimits.require(connections, measured.embedded() && !measured.forked());
        before = Memory.of(measured);
    }

    @Override
    protected LoadDriver connect(BenchmarkParams benchmark, MeasuredServer server, EchoClient client) {
        openingStartMillis = System.currentTimeMillis();
        load = EchoLoad.open(client, server.uri(), MessageType.parse(type), payloadBytes, connections,
                EchoLoad.DEFAULT_MAX_PENDING_HANDSHAKES, Duration.ofMillis(rampMillis));
        return new EchoLoadDriver(load, opened -> opened.startOpenLoop(schedule));
    }

    @Override
    protected void connected(BenchmarkParams benchmark, MeasuredServer server) throws IOException {
        long openingEndMillis = System.currentTimeMillis();
        RunningServer measured = server.serverUnderTest();
        Memory after = Memory.of(measured);
        opening = openingMetrics(before, after, measured.forked());
        handshakes = handshakePercentiles(benchmark, openingStartMillis, openingEndMillis);
    }

    @Override
    protected String latencyMeasured() {
        return "round-trip latency in microseconds of the active connections from each message's due time (open loop)";
    }

    @Override
    protected OptionalDouble expectedRate() {
        return OptionalDouble.of(rate);
    }

    @Override
    protected ScenarioResults scenarioResults(IterationEnd end) {
        // Once per fork: each further iteration would count every handshake again and could shift a percentile.
        List<ScenarioPercentile> handshakesOnce = List.of();
        if (end.measured()) {
            handshakesOnce = handshakes;
            handshakes = List.of();
        }
        return new ScenarioResults(opening, handshakesOnce);
    }

    /**
     * The server's heap (after GC) and RSS, and the client JVM's heap: with an embedded server the first and last are
     * the same JVM's.
     */
    private record Memory(long serverHeap, double serverRssMiB, long clientHeap) {
        static Memory of(RunningServer server) {
            long clientHeap = 0;
            for (int i = 0; i < GC_ROUNDS; i++) {
                clientHeap = ProcessMemory.heapUsedAfterGcBytes();
            }
            long serverHeap = server.forked() ? server.heapUsedAfterGcBytes() : clientHeap;
            double rss = server.forked()
                    ? ProcessTreeUsage.sample(server.serverPid().getAsLong()).residentSetMiB()
                    : ProcessMemory.residentSetMiB().orElse(Double.NaN);
            return new Memory(serverHeap, rss, clientHeap);
        }
    }

    /** The handshake percentiles, and their histogram written as the one interval of this fork's handshake log. */
    private List<ScenarioPercentile> handshakePercentiles(BenchmarkParams benchmark, long startMillis, long endMillis)
            throws IOException {
        Histogram handshakeMicros = load.opening().handshakeMicros().copy();
        handshakeMicros.setStartTimeStamp(startMillis);
        handshakeMicros.setEndTimeStamp(endMillis);
        try (HistogramLog log = metricLog(benchmark, MetricNames.HANDSHAKE, "each connection's TCP connect plus TLS and"
                + " WebSocket handshakes in microseconds, one interval histogram: the trial's opening of its connections",
                startMillis)) {
            log.write(handshakeMicros);
        }
        return List.of(new ScenarioPercentile(MetricNames.HANDSHAKE_P50, handshakeMicros, 50, "us"),
                new ScenarioPercentile(MetricNames.HANDSHAKE_P99, handshakeMicros, 99, "us"));
    }

    private List<ScenarioMetric> openingMetrics(Memory before, Memory after, boolean forked) {
        var opened = load.opening();
        List<ScenarioMetric> metrics = new ArrayList<>();
        metrics.add(new ScenarioMetric(MetricNames.CONNECT_PER_SECOND, opened.perSecond(), "conn/s"));
        metrics.add(new ScenarioMetric(MetricNames.HEAP_BYTES_PER_CONNECTION,
                (double) (after.serverHeap() - before.serverHeap()) / connections, "B/conn"));
        if (!Double.isNaN(after.serverRssMiB())) {
            metrics.add(new ScenarioMetric(MetricNames.RSS_BYTES_PER_CONNECTION,
                    (after.serverRssMiB() - before.serverRssMiB()) * 1024 * 1024 / connections, "B/conn"));
        }
        if (forked) {
            metrics.add(new ScenarioMetric(MetricNames.CLIENT_HEAP_BYTES_PER_CONNECTION,
                    (double) (after.clientHeap() - before.clientHeap()) / connections, "B/conn"));
        }
        return metrics;
    }
}
