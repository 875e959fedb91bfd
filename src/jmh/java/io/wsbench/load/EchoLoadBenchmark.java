package io.wsbench.load;

import io.wsbench.client.ClientConfig;
import io.wsbench.client.EchoClient;
import io.wsbench.client.EchoLoad;
import io.wsbench.client.LoadModel;
import io.wsbench.client.MessageType;
import io.wsbench.client.OpenLoopSchedule;
import io.wsbench.jmh.AbstractLoadBenchmark;
import io.wsbench.jmh.EchoLoadDriver;
import io.wsbench.jmh.LoadDriver;
import io.wsbench.jmh.LoadScaffold;
import io.wsbench.jmh.MeasuredServer;
import java.time.Duration;
import java.util.OptionalDouble;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.infra.BenchmarkParams;

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
public class EchoLoadBenchmark extends AbstractLoadBenchmark {
    /** Concurrent connections, all opened (50 handshakes at a time, or over rampMillis) before the first iteration. */
    @Param({"1", "10", "100", "1000"})
    public int connections;

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

    /**
     * Open loop: the pacer's tick in µs. Messages are due on a grid of ticks (each message's evenly spaced due time
     * rounded down to its tick) and each tick's messages are sent together, so the pacer wakes once per tick, not once
     * per message; 0 sends each message at its own evenly spaced time. Ignored by the closed loop.
     */
    @Param({"1000"})
    public int tickMicros;

    /** none, or deflate: permessage-deflate offered by the client and enabled on the server (RFC 7692). */
    @Param({"none"})
    public String compression;

    /** fixed (one template per connection), random (fresh incompressible bytes per message) or json (fresh JSON records). */
    @Param({"fixed"})
    public String payloadContent;

    private LoadModel model;
    private OpenLoopSchedule schedule;

    public EchoLoadBenchmark() {
        super("echoes", Duration.ofSeconds(30));
    }

    /** One operation = one verified echo. */
    @Benchmark
    public long echo() {
        return nextOperation();
    }

    @Override
    protected void requireRunnable(BenchmarkParams benchmark, ClientConfig clientConfig) {
        if (connections < 1) {
            throw new IllegalArgumentException("connections must be at least 1, was " + connections + " (-p connections=100)");
        }
        if (rampMillis < 0) {
            throw new IllegalArgumentException("rampMillis must be 0 (no ramp) or more, was " + rampMillis + " (-p rampMillis=10000)");
        }
        if (inFlight < 1) {
            throw new IllegalArgumentException("inFlight must be at least 1, was " + inFlight + " (-p inFlight=1)");
        }
        if (tickMicros < 0) {
            throw new IllegalArgumentException("tickMicros must be 0 (no tick) or positive, was " + tickMicros + " (-p tickMicros=1000)");
        }
        if (rate <= 0) {
            throw new IllegalArgumentException("rate must be a positive number of messages per second, was " + rate
                    + " (-p rate=10000)");
        }
        model = LoadModel.parse(loadModel);
        if (model == LoadModel.OPEN) {
            schedule = new OpenLoopSchedule(rate, connections, Duration.ofNanos(TimeUnit.MICROSECONDS.toNanos(tickMicros)));
            schedule.requireEveryConnectionSendsWithin(LoadScaffold.shortestIteration(benchmark));
        }
        if (inFlight > clientConfig.maxInFlightPerConnection()) {
            throw new IllegalArgumentException("inFlight=" + inFlight + " is above the client's limit of "
                    + clientConfig.maxInFlightPerConnection() + " messages in flight per connection; lower -p inFlight");
        }
    }

    @Override
    protected Duration longestSendGap() {
        return schedule == null ? Duration.ZERO : schedule.perConnectionInterval();
    }

    @Override
    protected LoadDriver connect(BenchmarkParams benchmark, MeasuredServer server, EchoClient client) {
        EchoLoad load = EchoLoad.open(client, server.uri(), MessageType.parse(type), payloadBytes, connections,
                EchoLoad.DEFAULT_MAX_PENDING_HANDSHAKES, Duration.ofMillis(rampMillis));
        return new EchoLoadDriver(load, model == LoadModel.CLOSED ? opened -> opened.startClosedLoop(inFlight)
                : opened -> opened.startOpenLoop(schedule));
    }

    @Override
    protected String latencyMeasured() {
        return "round-trip latency in microseconds " + (model == LoadModel.OPEN
                ? "from each message's due time (open loop, coordinated omission corrected)"
                : "from each message's actual send (closed loop)");
    }

    @Override
    protected OptionalDouble expectedRate() {
        return model == LoadModel.OPEN ? OptionalDouble.of(rate) : OptionalDouble.empty();
    }

    @Override
    protected ScenarioResults scenarioResults(IterationEnd end) {
        return ScenarioResults.of(end.wireBytesPerMessage());
    }
}
