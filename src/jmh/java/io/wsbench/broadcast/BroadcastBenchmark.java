package io.wsbench.broadcast;

import io.wsbench.client.BroadcastRoom;
import io.wsbench.client.ClientConfig;
import io.wsbench.client.EchoClient;
import io.wsbench.client.LoadModel;
import io.wsbench.client.MessageType;
import io.wsbench.jmh.EchoMetricsProfiler;
import io.wsbench.jmh.LoadScaffold;
import io.wsbench.jmh.MeasuredServer;
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
import java.util.ArrayList;
import java.util.List;
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
 * Fan-out, the real-time application's load (chat rooms, live dashboards, notifications): {@code subscribers}
 * connections in one broadcast room, the first {@code publishers} of them publishing; the server relays every message
 * to every member, the publisher included, each server the way a user of its library writes a room (Netty's
 * ChannelGroup, the session sets of Jetty, Tyrus and Tomcat, ...: see each server class). Every delivery is verified on
 * the member that gets it (the publisher's bytes, per-publisher order, nothing lost, nothing twice: {@link
 * BroadcastRoom}); a wrong or lost delivery fails the trial.
 *
 * <pre>
 * java -jar target/benchmarks.jar BroadcastBenchmark -p server=netty,jetty,tyrus -p subscribers=100 \
 *     -prof io.wsbench.jmh.EchoMetricsProfiler -rf json                          # open and closed loop
 * java -jar target/benchmarks.jar BroadcastBenchmark -p server=netty -p subscribers=100 -p slowSubscriber=true \
 *     -p loadModel=open -prof io.wsbench.jmh.EchoMetricsProfiler                 # one member reads slowly
 * </pre>
 * {@code scripts/broadcast} runs the preset.
 *
 * <p><b>Score.</b> One operation is one verified delivery: deliveries per second (a publish counts {@code subscribers}
 * times). {@code latency.*} is from each message's due publish time to each member's receipt, over every delivery of
 * the iteration, merged; {@code sendLag.*} is how late publishers sent against their schedule (the client's share).
 *
 * <p><b>Load models.</b> {@code open}: {@code rate} publishes per second in all, paced on the client's event loops,
 * latency from the due time (coordinated omission corrected); an iteration whose deliveries fall more than 5 % short
 * of {@code rate × subscribers} per second is marked invalid. {@code closed}: each publisher keeps {@code inFlight}
 * messages not yet delivered to every member, and publishes the next the moment the last member has one.
 *
 * <p><b>Slow subscriber.</b> With {@code slowSubscriber=true} the last member reads 1 KiB every 100 ms, so the server buffers (its heap grows: {@code
 * heap.afterGc}), drops ({@code slow.lost}) or disconnects it ({@code slow.disconnected}); {@code slow.backlog} is how
 * far it is behind at the end of the iteration, {@code slow.latency.p99} its own latency (merged over the iterations
 * and forks like {@code latency.*}, its histograms in {@code ...-slow.latency-fork<N>.hlog}). Everyone else is
 * measured and verified as ever, so the rows show what one slow reader does to the others. It is not waited for and
 * does not hold back the closed loop.
 *
 * <p>Server, client, TLS and compression parameters are the echo load's ({@code MeasuredServer}, {@code tls}, {@code
 * compression}, {@code payloadContent}), and so is the histogram log ({@code -Dwsbench.hlogDir}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
@Fork(value = 2, jvmArgsPrepend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Timeout(time = 2, timeUnit = TimeUnit.MINUTES)
public class BroadcastBenchmark {
    private static final Duration CLOSE_BUDGET = Duration.ofSeconds(30);

    /** Connections in the room, publishers included; every publish is this many deliveries. */
    @Param({"10", "100", "1000"})
    public int subscribers;

    /** Members that publish (the first ones of the room). */
    @Param({"1"})
    public int publishers;

    /** open (fixed publish rate) or closed (next publish when the last member has the message). */
    @Param({"closed", "open"})
    public String loadModel;

    /** Open loop: publishes per second, all publishers together. Ignored by the closed loop. */
    @Param({"200"})
    public int rate;

    /** Closed loop: messages each publisher keeps not yet delivered to every member. */
    @Param({"1"})
    public int inFlight;

    /** Message size in bytes, the 20-byte header (publisher, due time) included. */
    @Param({"64"})
    public int payloadBytes;

    /** WebSocket message type: text or binary. */
    @Param({"text"})
    public String type;

    /** Whether the last member reads slowly on purpose (1 KiB per 100 ms). */
    @Param({"false"})
    public boolean slowSubscriber;

    /** Client event loops the members are spread over. */
    @Param({"1"})
    public int clientThreads;

    /** wss:// with a self-signed certificate made at start, or plain ws://. */
    @Param({"false"})
    public String tls;

    /** With tls=true: jdk (every server) or openssl (netty only). */
    @Param({"jdk"})
    public String tlsProvider;

    /** none, or deflate (permessage-deflate on client and server). */
    @Param({"none"})
    public String compression;

    /** fixed, random or json: see EchoLoadBenchmark. */
    @Param({"fixed"})
    public String payloadContent;

    private LoadModel model;
    private EchoClient client;
    private BroadcastRoom room;
    private HistogramLog histogramLog;
    /** The slow subscriber's latency, one interval per measured iteration; null without a slow subscriber. */
    private HistogramLog slowLog;
    private long stallLimitNanos;

    private ThreadCpu cpuAtStart;
    private long startEpochMillis;
    private long startNanos;
    private long deliveredAtStart;
    private long wireBytesAtStart;
    private boolean measuring;

    private long deliveriesSeen;
    private long unclaimed;

    @Setup(Level.Trial)
    public void openRoom(BenchmarkParams benchmark, MeasuredServer server) throws IOException {
        LoadScaffold.requireOneThreadThroughput(benchmark, "deliveries");
        model = LoadModel.parse(loadModel);
        if (rate <= 0 || inFlight < 1 || clientThreads < 1 || subscribers < 1) {
            throw new IllegalArgumentException("rate, inFlight, clientThreads and subscribers must be positive (were " + rate
                    + ", " + inFlight + ", " + clientThreads + ", " + subscribers + ")");
        }
        ClientConfig clientConfig = server.clientConfig().withIoThreads(clientThreads);
        stallLimitNanos = clientConfig.echoTimeout().toNanos() + TimeUnit.SECONDS.toNanos(1)
                + (model == LoadModel.OPEN ? TimeUnit.SECONDS.toNanos(publishers) / rate : 0);
        try {
            client = new EchoClient(clientConfig);
            room = BroadcastRoom.open(client, server.serverUnderTest().broadcastUri(), MessageType.parse(type), payloadBytes,
                    subscribers, publishers, slowSubscriber, 50);
            histogramLog = HistogramLog.create(LoadScaffold.hlogDir(),
                    HlogNames.forkLogPrefix(benchmark.getBenchmark(), LoadScaffold.params(benchmark)),
                    LoadScaffold.describe(benchmark) + " | delivery latency in microseconds from each message's "
                            + (model == LoadModel.OPEN ? "due publish time (open loop, coordinated omission corrected)"
                                    : "publish (closed loop)") + ", one interval histogram per measurement iteration",
                    System.currentTimeMillis());
            if (slowSubscriber) {
                slowLog = HistogramLog.create(LoadScaffold.hlogDir(), HlogNames.metricLogPrefix(benchmark.getBenchmark(),
                        LoadScaffold.params(benchmark), MetricNames.SLOW_LATENCY), LoadScaffold.describe(benchmark)
                        + " | the slow subscriber's delivery latency in microseconds, as the other members' (see their"
                        + " log), one interval histogram per measurement iteration", System.currentTimeMillis());
            }
        } catch (RuntimeException | IOException e) {
            closeEverything(e);
            throw e;
        }
    }

    @Setup(Level.Iteration)
    public void startPublishing(IterationParams iteration) {
        measuring = iteration.getType() == IterationType.MEASUREMENT;
        room.latency().reset();
        room.slowLatency().reset();
        room.publishLag().reset();
        cpuAtStart = EchoMetricsProfiler.sampleCpu();
        startEpochMillis = System.currentTimeMillis();
        deliveredAtStart = room.delivered();
        wireBytesAtStart = client.wireBytes().total();
        deliveriesSeen = deliveredAtStart;
        unclaimed = 0;
        startNanos = System.nanoTime();
        if (model == LoadModel.CLOSED) {
            room.startClosedLoop(inFlight);
        } else {
            room.startOpenLoop(rate);
        }
    }

    /** One operation = one verified delivery. */
    @Benchmark
    public long delivery() {
        if (unclaimed == 0) {
            unclaimed = LoadScaffold.awaitMore(room::delivered, deliveriesSeen, room::throwIfFailed, stallLimitNanos,
                    "no delivery from the room at " + room.room());
            deliveriesSeen += unclaimed;
        }
        return --unclaimed;
    }

    @TearDown(Level.Iteration)
    public void stopPublishing() {
        long stopNanos = System.nanoTime();
        long deliveredWhilePublishing = room.delivered() - deliveredAtStart;
        room.stop();
        ThreadCpu cpuAtEnd = EchoMetricsProfiler.sampleCpu();
        long endEpochMillis = System.currentTimeMillis();
        Histogram latency = room.latency().intervalHistogram(startEpochMillis, endEpochMillis);
        Histogram publishLag = room.publishLag().intervalHistogram(startEpochMillis, endEpochMillis);
        Histogram slowLatency = room.slowLatency().intervalHistogram(startEpochMillis, endEpochMillis);
        double achieved = deliveredWhilePublishing * 1e9 / (stopNanos - startNanos);
        Optional<RateCheck> openLoopRate = model == LoadModel.OPEN
                ? Optional.of(new RateCheck((double) rate * subscribers, achieved)) : Optional.empty();
        openLoopRate.filter(check -> !check.valid()).ifPresent(check -> System.out.println("\n!!! " + check.describe()));
        long delivered = room.delivered() - deliveredAtStart;
        List<ScenarioPercentile> slowPercentiles = slowSubscriber && slowLatency.getTotalCount() > 0
                ? List.of(new ScenarioPercentile(MetricNames.SLOW_LATENCY_P99, slowLatency, 99, "us")) : List.of();
        EchoMetricsProfiler.publish(new LoadIteration(latency, publishLag, delivered, achieved, openLoopRate,
                cpuAtStart.until(cpuAtEnd), scenarioMetrics(delivered), slowPercentiles));
        if (measuring) {
            histogramLog.write(latency);
            if (slowLog != null) {
                slowLog.write(slowLatency);
            }
        }
    }

    private List<ScenarioMetric> scenarioMetrics(long delivered) {
        List<ScenarioMetric> metrics = new ArrayList<>();
        if (delivered > 0) {
            metrics.add(new ScenarioMetric(MetricNames.WIRE_BYTES_PER_MESSAGE,
                    (double) (client.wireBytes().total() - wireBytesAtStart) / delivered, "B/msg"));
        }
        if (slowSubscriber) {
            BroadcastRoom.SlowMemberReport slow = room.slowMember();
            metrics.add(new ScenarioMetric(MetricNames.SLOW_LOST, slow.lost(), "msgs"));
            metrics.add(new ScenarioMetric(MetricNames.SLOW_DISCONNECTED, slow.disconnected() ? 1 : 0, "1=disconnected"));
            metrics.add(new ScenarioMetric(MetricNames.SLOW_BACKLOG, slow.backlog(), "msgs"));
        }
        return metrics;
    }

    @TearDown(Level.Trial)
    public void closeRoom() {
        closeEverything(null);
    }

    private void closeEverything(Throwable alreadyFailing) {
        HistogramLog log = histogramLog;
        HistogramLog slow = slowLog;
        BroadcastRoom opened = room;
        EchoClient closing = client;
        histogramLog = null;
        slowLog = null;
        room = null;
        client = null;
        LoadScaffold.closeInOrder(alreadyFailing, log, slow, opened == null ? null : () -> opened.close(CLOSE_BUDGET),
                closing);
    }
}
