package io.wsbench.jmh;

import io.wsbench.record.CpuSample;
import io.wsbench.record.CpuUsage;
import io.wsbench.record.LoadIteration;
import io.wsbench.record.RateCheck;
import io.wsbench.record.ProcessMemory;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.OptionalDouble;
import java.util.concurrent.atomic.AtomicReference;
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
 * <p>Metric names are fixed (reports are built on them):
 * <ul>
 *   <li>{@code latency.p50 .p90 .p99 .p999 .p9999 .max} (us), {@code latency.count} (messages recorded):
 *       round-trip latency from the time each message was due, from the load benchmark's HdrHistogram
 *       of the iteration (aggregated: mean of the iterations' percentiles; max of maxima; sum of counts);
 *   <li>{@code sendLag.p99} (us): how late the client sent against its schedule, so a reader can tell
 *       client lag from server latency;
 *   <li>{@code rate.achieved} (msg/s); open loop only: {@code rate.target} (msg/s), {@code
 *       rateShortfallPercent} (%, worst iteration) and {@code valid} (1, or 0 when any iteration fell
 *       more than 5 % short of the target);
 *   <li>{@code cpu.client.percent}, {@code cpu.server.percent} (% of all cores: 100 = every core busy)
 *       and {@code cpu.client.usPerMsg}, {@code cpu.server.usPerMsg} (us/msg): client = threads named
 *       wsbench-client-* and JMH's worker; server = the rest of the process, <i>including the JVM's GC
 *       and JIT threads</i>;
 *   <li>{@code heap.afterGc} (MiB, measurement iterations only): heap in use after a System.gc() that
 *       runs when the iteration is over, outside anything measured; it costs one full collection
 *       (tens of ms) between iterations;
 *   <li>{@code rss} (MiB): VmRSS of the benchmark JVM at the end of the iteration (Linux only).
 * </ul>
 *
 * <p>The load benchmark hands its numbers over in {@code @TearDown(Level.Iteration)} through {@link
 * #publish}, with CPU measured over exactly its load window. Other benchmarks (the round trip) get
 * the CPU split, per message by JMH's operation count, over the profiler's own window (which also
 * holds the iteration's setup and teardown), plus heap and RSS; their latency comes from JMH's
 * sample mode.
 */
public final class EchoMetricsProfiler implements InternalProfiler {
    private static final AtomicReference<LoadIteration> HANDOFF = new AtomicReference<>();
    private static volatile boolean active;

    private CpuSample atIterationStart;

    /** Client threads: the load client's event loops and the JMH thread that drives or counts. */
    public static boolean isClientThread(String threadName) {
        return threadName.startsWith("wsbench-client") || threadName.contains("jmh-worker");
    }

    /** Called by a benchmark at the end of each iteration with what that iteration measured. */
    public static void publish(LoadIteration iteration) {
        HANDOFF.set(iteration);
    }

    /** Whether this profiler runs in this JVM, so a benchmark can say when its metrics go nowhere. */
    public static boolean isActive() {
        return active;
    }

    @Override
    public String getDescription() {
        return "wsbench echo metrics: latency percentiles (us), achieved rate and validity of open-loop runs,"
                + " client/server CPU split, heap after GC, RSS";
    }

    @Override
    public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
        active = true;
        HANDOFF.set(null);
        atIterationStart = CpuSample.take(EchoMetricsProfiler::isClientThread);
    }

    @Override
    public Collection<? extends Result> afterIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams,
            IterationResult result) {
        CpuSample atIterationEnd = CpuSample.take(EchoMetricsProfiler::isClientThread);
        LoadIteration load = HANDOFF.getAndSet(null);
        List<Result> metrics = new ArrayList<>();
        CpuUsage cpu;
        long messages;
        if (load != null) {
            addLoadMetrics(metrics, load);
            cpu = load.cpu();
            messages = load.messages();
        } else {
            cpu = atIterationStart.until(atIterationEnd);
            messages = result.getMetadata().getMeasuredOps();
        }
        metrics.add(avg("cpu.client.percent", cpu.clientPercent(), "%"));
        metrics.add(avg("cpu.server.percent", cpu.serverPercent(), "%"));
        if (messages > 0) {
            metrics.add(avg("cpu.client.usPerMsg", cpu.clientMicrosPerMessage(messages), "us/msg"));
            metrics.add(avg("cpu.server.usPerMsg", cpu.serverMicrosPerMessage(messages), "us/msg"));
        }
        OptionalDouble rss = ProcessMemory.residentSetMiB();
        if (rss.isPresent()) {
            metrics.add(avg("rss", rss.getAsDouble(), "MiB"));
        }
        if (iterationParams.getType() == IterationType.MEASUREMENT) {
            metrics.add(avg("heap.afterGc", ProcessMemory.heapUsedAfterGcMiB(), "MiB"));
        }
        return metrics;
    }

    private static void addLoadMetrics(List<Result> metrics, LoadIteration load) {
        Histogram latency = load.latencyMicros();
        metrics.add(avg("latency.p50", latency.getValueAtPercentile(50.0), "us"));
        metrics.add(avg("latency.p90", latency.getValueAtPercentile(90.0), "us"));
        metrics.add(avg("latency.p99", latency.getValueAtPercentile(99.0), "us"));
        metrics.add(avg("latency.p999", latency.getValueAtPercentile(99.9), "us"));
        metrics.add(avg("latency.p9999", latency.getValueAtPercentile(99.99), "us"));
        metrics.add(new ScalarResult("latency.max", latency.getMaxValue(), "us", AggregationPolicy.MAX));
        metrics.add(new ScalarResult("latency.count", latency.getTotalCount(), "msgs", AggregationPolicy.SUM));
        metrics.add(avg("sendLag.p99", load.sendLagMicros().getValueAtPercentile(99.0), "us"));
        metrics.add(avg("rate.achieved", load.achievedPerSecond(), "msg/s"));
        if (load.openLoopRate().isPresent()) {
            RateCheck rate = load.openLoopRate().get();
            metrics.add(avg("rate.target", rate.targetPerSecond(), "msg/s"));
            metrics.add(new ScalarResult("rateShortfallPercent", rate.shortfallPercent(), "%", AggregationPolicy.MAX));
            metrics.add(new ScalarResult("valid", rate.valid() ? 1 : 0, "1=valid", AggregationPolicy.MIN));
        }
    }

    private static ScalarResult avg(String label, double value, String unit) {
        return new ScalarResult(label, value, unit, AggregationPolicy.AVG);
    }
}
