package io.wsbench.jmh;

import io.wsbench.record.ProcessTreeUsage;
import io.wsbench.record.ThreadCpu;
import io.wsbench.record.ThreadCpu.Role;
import io.wsbench.results.MetricNames;
import io.wsbench.record.LoadIteration;
import io.wsbench.record.RateCheck;
import io.wsbench.record.ScenarioPercentile;
import io.wsbench.record.ProcessMemory;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.HdrHistogram.Histogram;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;
import org.openjdk.jmh.runner.IterationType;

/**
 * Adds the echo benchmarks' own measurements to JMH's results, per iteration and aggregated, on the
 * console and in {@code -rf json}: {@code -prof io.wsbench.jmh.EchoMetricsProfiler}. List it before
 * {@code -prof gc}, so that its System.gc() (below) happens after the GC profiler has closed the
 * iteration and does not count as one of the benchmark's collections.
 *
 * <p>Metric names are in {@link MetricNames} (reports are built on them):
 * <ul>
 *   <li>{@code latency.p50 .p90 .p99 .p999 .p9999 .max} (us), {@code latency.count} (messages recorded),
 *       from the load benchmark's HdrHistogram of each iteration. Aggregated over iterations and forks, each
 *       percentile is that of the <b>merged distribution</b> of every recorded echo ({@link MergedPercentileResult}),
 *       never a mean of percentiles; it equals the percentile of the trial's merged hlog. Closed loop: latency from
 *       each message's actual send; open loop: from the time it was due (coordinated omission corrected);
 *   <li>{@code sendLag.p50 .p99} (us, merged likewise): how late the client sent against its schedule, so a reader
 *       can tell client lag from server latency;
 *   <li>a scenario's own percentiles ({@link ScenarioPercentile}: {@code handshake.p50 .p99}, {@code slow.latency.p99}),
 *       merged likewise from the histograms the iterations hand over;
 *   <li>{@code rate.achieved} (msg/s); open loop only: {@code rate.target} (msg/s), {@code
 *       rateShortfallPercent} (%, worst iteration) and {@code valid} (1, or 0 when any iteration fell
 *       more than 5 % short of the target);
 *   <li>{@code cpu.ROLE.percentOfCore} (100 = one core busy) and {@code cpu.ROLE.usPerMsg} for ROLE = {@code server}
 *       (the server's own threads, {@code EchoServer.ownsThread}), {@code client} (threads wsbench-client-* and JMH's
 *       worker), {@code gc}, {@code jit} (the JVM's collector and compiler threads, shared by both sides) and
 *       {@code jvmOther} (the rest of the process: JMH's own threads, the VM thread ...); see {@link ThreadCpu};
 *   <li>{@code client.busiestThreadPercent} (% of one core, worst iteration) and {@code client.saturated} (1 when a
 *       client thread was at least 90 % busy in any iteration: that row may measure the client, not the server);
 *   <li>{@code heap.afterGc} (MiB, measurement iterations only): heap in use after a System.gc() that
 *       runs when the iteration is over, outside anything measured; it costs one full collection
 *       (tens of ms) between iterations;
 *   <li>{@code rss} (MiB): VmRSS of the benchmark JVM at the end of the iteration (Linux only);
 *   <li>{@code rss.server} (MiB): for a server outside this JVM, VmRSS of its process tree at the end of the iteration.
 * </ul>
 *
 * <p>A server outside this JVM (a child process such as fastapi, or a target on this host found by its port) has its
 * process tree's CPU ({@link ProcessTreeUsage}) counted as the server's: {@code cpu.server.*} is then the Python
 * process's CPU, read from /proc in 10 ms ticks.
 *
 * <p>The load benchmark hands its numbers over in {@code @TearDown(Level.Iteration)} through {@link
 * #publish}, with CPU measured over exactly its load window. Other benchmarks (the round trip) get
 * the CPU split of each iteration from {@link MeasuredServer} ({@link #publishCpu}), per message by JMH's
 * operation count, plus heap and RSS; their latency comes from JMH's sample mode.
 */
public final class EchoMetricsProfiler implements InternalProfiler {
    private static final AtomicReference<LoadIteration> HANDOFF = new AtomicReference<>();
    private static final AtomicReference<ThreadCpu.Split> CPU_HANDOFF = new AtomicReference<>();
    private static final Predicate<Thread> NO_SERVER_THREADS = thread -> false;
    private static volatile Predicate<Thread> serverThreads = NO_SERVER_THREADS;
    private static volatile OptionalLong serverProcess = OptionalLong.empty();
    /** The server process tree's last sample, taken with the CPU at the end of the iteration, for its RSS. */
    private static final AtomicReference<ProcessTreeUsage> SERVER_PROCESS_SAMPLE = new AtomicReference<>();
    private static volatile boolean active;

    private ThreadCpu atIterationStart;

    /** Client threads: the load client's event loops and the JMH thread that drives or counts. */
    public static boolean isClientThread(Thread thread) {
        String name = thread.getName();
        return name.startsWith("wsbench-client") || name.contains("jmh-worker");
    }

    /** Which threads are the server's, for this trial: set by the benchmark once its server runs; null clears it. */
    public static void serverThreads(Predicate<Thread> owned) {
        serverThreads = owned == null ? NO_SERVER_THREADS : owned;
    }

    /** The server's process when it runs outside this JVM, for this trial; empty (or null) when it runs inside. */
    public static void serverProcess(OptionalLong pid) {
        serverProcess = pid == null ? OptionalLong.empty() : pid;
    }

    /** A CPU sample with this trial's server and client threads, and the server's process tree when it has one. */
    public static ThreadCpu sampleCpu() {
        ThreadCpu sample = ThreadCpu.take(serverThreads, EchoMetricsProfiler::isClientThread);
        OptionalLong pid = serverProcess;
        if (pid.isEmpty()) {
            return sample;
        }
        ProcessTreeUsage tree = ProcessTreeUsage.sample(pid.getAsLong());
        SERVER_PROCESS_SAMPLE.set(tree);
        Map<Role, Long> cpu = new EnumMap<>(sample.cpuNanos());
        cpu.merge(Role.SERVER, tree.cpuNanos(), Long::sum);
        return new ThreadCpu(sample.wallNanos(), cpu, sample.clientThreadNanos());
    }

    /** Notes this trial's live server and client threads, so one that ends before the next sample keeps its CPU. */
    public static void noteThreads() {
        ThreadCpu.noteThreads(serverThreads, EchoMetricsProfiler::isClientThread);
    }

    /** Called by a benchmark at the end of each iteration with what that iteration measured. */
    public static void publish(LoadIteration iteration) {
        HANDOFF.set(iteration);
    }

    /** Called by the benchmark scaffold at the end of each iteration with the CPU split of the iteration's window. */
    public static void publishCpu(ThreadCpu.Split cpu) {
        CPU_HANDOFF.set(cpu);
    }

    /** Whether this profiler runs in this JVM, so a benchmark can say when its metrics go nowhere. */
    public static boolean isActive() {
        return active;
    }

    @Override
    public String getDescription() {
        return "wsbench echo metrics: latency percentiles of the merged distribution (us), achieved rate and validity"
                + " of open-loop runs, CPU by thread (server, client, gc, jit, jvmOther), client saturation, heap after"
                + " GC, RSS";
    }

    @Override
    public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
        active = true;
        HANDOFF.set(null);
        CPU_HANDOFF.set(null);
        atIterationStart = sampleCpu();
        SERVER_PROCESS_SAMPLE.set(null);
    }

    @Override
    public Collection<? extends Result> afterIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams,
            IterationResult result) {
        ThreadCpu atIterationEnd = sampleCpu();
        LoadIteration load = HANDOFF.getAndSet(null);
        ThreadCpu.Split benchmarkWindow = CPU_HANDOFF.getAndSet(null);
        List<Result> metrics = new ArrayList<>();
        ThreadCpu.Split cpu;
        long messages;
        if (load != null) {
            metrics.addAll(loadMetrics(load));
            cpu = load.cpu();
            messages = load.messages();
        } else {
            cpu = benchmarkWindow != null ? benchmarkWindow : atIterationStart.until(atIterationEnd);
            messages = result.getMetadata().getMeasuredOps();
        }
        for (Role role : Role.values()) {
            metrics.add(avg(MetricNames.cpuPercentOfCore(role.metric()), cpu.percentOfCore(role), "%"));
            if (messages > 0) {
                metrics.add(avg(MetricNames.cpuMicrosPerMessage(role.metric()), cpu.microsPerMessage(role, messages), "us/msg"));
            }
        }
        metrics.add(new ScalarResult(MetricNames.CLIENT_BUSIEST_THREAD_PERCENT, 100 * cpu.busiestClientThreadCores(), "%",
                AggregationPolicy.MAX));
        metrics.add(new ScalarResult(MetricNames.CLIENT_SATURATED, cpu.clientSaturated() ? 1 : 0, "1=saturated",
                AggregationPolicy.MAX));
        OptionalDouble rss = ProcessMemory.residentSetMiB();
        if (rss.isPresent()) {
            metrics.add(avg(MetricNames.RSS, rss.getAsDouble(), "MiB"));
        }
        // Taken by the benchmark's own end-of-iteration CPU sample: after the last iteration the server is stopped already.
        ProcessTreeUsage serverTree = SERVER_PROCESS_SAMPLE.getAndSet(null);
        if (serverTree != null) {
            metrics.add(avg(MetricNames.SERVER_RSS, serverTree.residentSetMiB(), "MiB"));
        }
        if (iterationParams.getType() == IterationType.MEASUREMENT) {
            metrics.add(avg(MetricNames.HEAP_AFTER_GC, ProcessMemory.heapUsedAfterGcMiB(), "MiB"));
        }
        return metrics;
    }

    /** What one load iteration adds to JMH's results; package-private for tests of how they aggregate. */
    static List<Result> loadMetrics(LoadIteration load) {
        List<Result> metrics = new ArrayList<>();
        Histogram latency = load.latencyMicros();
        metrics.add(new MergedPercentileResult(MetricNames.LATENCY_P50, latency, 50.0, "us"));
        metrics.add(new MergedPercentileResult(MetricNames.LATENCY_P90, latency, 90.0, "us"));
        metrics.add(new MergedPercentileResult(MetricNames.LATENCY_P99, latency, 99.0, "us"));
        metrics.add(new MergedPercentileResult(MetricNames.LATENCY_P999, latency, 99.9, "us"));
        metrics.add(new MergedPercentileResult(MetricNames.LATENCY_P9999, latency, 99.99, "us"));
        metrics.add(new ScalarResult(MetricNames.LATENCY_MAX, latency.getMaxValue(), "us", AggregationPolicy.MAX));
        metrics.add(new ScalarResult(MetricNames.LATENCY_COUNT, latency.getTotalCount(), "msgs", AggregationPolicy.SUM));
        metrics.add(new MergedPercentileResult(MetricNames.SEND_LAG_P50, load.sendLagMicros(), 50.0, "us"));
        metrics.add(new MergedPercentileResult(MetricNames.SEND_LAG_P99, load.sendLagMicros(), 99.0, "us"));
        metrics.add(avg(MetricNames.RATE_ACHIEVED, load.achievedPerSecond(), "msg/s"));
        if (load.openLoopRate().isPresent()) {
            RateCheck rate = load.openLoopRate().get();
            metrics.add(avg(MetricNames.RATE_TARGET, rate.targetPerSecond(), "msg/s"));
            metrics.add(new ScalarResult(MetricNames.RATE_SHORTFALL_PERCENT, rate.shortfallPercent(), "%", AggregationPolicy.MAX));
            metrics.add(new ScalarResult(MetricNames.VALID, rate.valid() ? 1 : 0, "1=valid", AggregationPolicy.MIN));
        }
        load.scenario().forEach(metric -> metrics.add(avg(metric.name(), metric.value(), metric.unit())));
        for (ScenarioPercentile p : load.scenarioPercentiles()) {
            metrics.add(new MergedPercentileResult(p.name(), p.histogram(), p.percentile(), p.unit()));
        }
        return metrics;
    }

    private static ScalarResult avg(String label, double value, String unit) {
        return new ScalarResult(label, value, unit, AggregationPolicy.AVG);
    }
}
