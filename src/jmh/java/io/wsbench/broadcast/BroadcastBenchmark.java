package io.wsbench.broadcast;

import io.wsbench.client.BroadcastRoom;
import io.wsbench.client.ClientConfig;
import io.wsbench.client.EchoClient;
import io.wsbench.client.LoadModel;
import io.wsbench.client.MessageType;
import io.wsbench.jmh.AbstractLoadBenchmark;
import io.wsbench.jmh.LoadDriver;
import io.wsbench.jmh.MeasuredServer;
import io.wsbench.record.HistogramLog;
import io.wsbench.record.LatencyRecorder;
import io.wsbench.record.ScenarioMetric;
import io.wsbench.record.ScenarioPercentile;
import io.wsbench.results.MetricNames;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.HdrHistogram.Histogram;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.infra.BenchmarkParams;

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
public class BroadcastBenchmark extends AbstractLoadBenchmark {
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

    /** Whether the last member reads slowly on purpose (1 KiB per 100 ms). */
    @Param({"false"})
    public boolean slowSubscriber;

    /** none, or deflate (permessage-deflate on client and server). */
    @Param({"none"})
    public String compression;

    /** fixed, random or json: see EchoLoadBenchmark. */
    @Param({"fixed"})
    public String payloadContent;

    private LoadModel model;
    private BroadcastRoom room;
    /** The slow subscriber's latency, one interval per measured iteration; null without a slow subscriber. */
    private HistogramLog slowLog;

    public BroadcastBenchmark() {
        super("deliveries", Duration.ofSeconds(30));
    }

    /** One operation = one verified delivery. */
    @Benchmark
    public long delivery() {
        return nextOperation();
    }

    @Override
    protected void requireRunnable(BenchmarkParams benchmark, ClientConfig clientConfig) {
        model = LoadModel.parse(loadModel);
        if (rate <= 0 || inFlight < 1 || subscribers < 1) {
            throw new IllegalArgumentException("rate, inFlight and subscribers must be positive (were " + rate + ", "
                    + inFlight + ", " + subscribers + ")");
        }
    }

    @Override
    protected Duration longestSendGap() {
        return model == LoadModel.OPEN ? Duration.ofNanos(TimeUnit.SECONDS.toNanos(publishers) / rate) : Duration.ZERO;
    }

    @Override
    protected LoadDriver connect(BenchmarkParams benchmark, MeasuredServer server, EchoClient client) {
        room = BroadcastRoom.open(client, server.serverUnderTest().broadcastUri(), MessageType.parse(type), payloadBytes,
                subscribers, publishers, slowSubscriber, 50);
        return new RoomDriver(room, model == LoadModel.CLOSED ? opened -> opened.startClosedLoop(inFlight)
                : opened -> opened.startOpenLoop(rate));
    }

    @Override
    protected void connected(BenchmarkParams benchmark, MeasuredServer server) throws IOException {
        if (slowSubscriber) {
            slowLog = metricLog(benchmark, MetricNames.SLOW_LATENCY, "the slow subscriber's delivery latency in"
                    + " microseconds, as the other members' (see their log), one interval histogram per measurement"
                    + " iteration", System.currentTimeMillis());
        }
    }

    @Override
    protected String latencyMeasured() {
        return "delivery latency in microseconds from each message's " + (model == LoadModel.OPEN
                ? "due publish time (open loop, coordinated omission corrected)" : "publish (closed loop)");
    }

    @Override
    protected OptionalDouble expectedRate() {
        return model == LoadModel.OPEN ? OptionalDouble.of((double) rate * subscribers) : OptionalDouble.empty();
    }

    @Override
    protected ScenarioResults scenarioResults(IterationEnd end) {
        List<ScenarioMetric> metrics = new ArrayList<>(end.wireBytesPerMessage());
        if (!slowSubscriber) {
            return ScenarioResults.of(metrics);
        }
        BroadcastRoom.SlowMemberReport slow = room.slowMember();
        metrics.add(new ScenarioMetric(MetricNames.SLOW_LOST, slow.lost(), "msgs"));
        metrics.add(new ScenarioMetric(MetricNames.SLOW_DISCONNECTED, slow.disconnected() ? 1 : 0, "1=disconnected"));
        metrics.add(new ScenarioMetric(MetricNames.SLOW_BACKLOG, slow.backlog(), "msgs"));
        Histogram slowLatency = room.slowLatency().intervalHistogram(end.startEpochMillis(), end.endEpochMillis());
        if (end.measured()) {
            slowLog.write(slowLatency);
        }
        List<ScenarioPercentile> percentiles = slowLatency.getTotalCount() > 0
                ? List.of(new ScenarioPercentile(MetricNames.SLOW_LATENCY_P99, slowLatency, 99, "us")) : List.of();
        return new ScenarioResults(metrics, percentiles);
    }

    @Override
    protected void closeOwn() throws IOException {
        HistogramLog closing = slowLog;
        slowLog = null;
        room = null;
        if (closing != null) {
            closing.close();
        }
    }

    /** The room as a {@link LoadDriver}: deliveries are its operations, the publishers' lateness its send lag. */
    private record RoomDriver(BroadcastRoom room, Consumer<BroadcastRoom> starter) implements LoadDriver {
        @Override
        public long verified() {
            return room.delivered();
        }

        @Override
        public void throwIfFailed() {
            room.throwIfFailed();
        }

        @Override
        public String stallMessage() {
            return "no delivery from the room at " + room.room();
        }

        @Override
        public LatencyRecorder latency() {
            return room.latency();
        }

        @Override
        public LatencyRecorder sendLag() {
            return room.publishLag();
        }

        @Override
        public void resetRecorders() {
            room.latency().reset();
            room.slowLatency().reset();
            room.publishLag().reset();
        }

        @Override
        public void start() {
            starter.accept(room);
        }

        @Override
        public void stop() {
            room.stop();
        }

        @Override
        public void close(Duration budget) {
            room.close(budget);
        }
    }
}
