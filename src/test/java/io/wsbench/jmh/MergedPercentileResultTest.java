package io.wsbench.jmh;

import static org.assertj.core.api.Assertions.assertThat;

import io.wsbench.record.LatencyRecorder;
import io.wsbench.record.LoadIteration;
import io.wsbench.record.ScenarioPercentile;
import io.wsbench.record.ThreadCpu;
import io.wsbench.results.MetricNames;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.results.Aggregator;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ResultRole;

/**
 * Percentiles aggregated over iterations are those of the merged distribution, not means of the iterations'
 * percentiles: checked on iterations with known, deliberately different distributions, for the load's latency and for
 * the scenarios' own percentiles (handshakes, the slow subscriber) as the profiler hands them to JMH.
 */
class MergedPercentileResultTest {

    /** Iteration A: 900 values of 100 us and 100 of 1000 us; iteration B: 1000 values of 200 us. */
    private static List<Histogram> twoIterations() {
        Histogram a = LatencyRecorder.newHistogram();
        a.recordValueWithCount(100, 900);
        a.recordValueWithCount(1000, 100);
        Histogram b = LatencyRecorder.newHistogram();
        b.recordValueWithCount(200, 1000);
        return List.of(a, b);
    }

    private static MergedPercentileResult merge(double percentile) {
        List<Histogram> iterations = twoIterations();
        List<MergedPercentileResult> results = iterations.stream()
                .map(h -> new MergedPercentileResult("latency.p" + percentile, h, percentile, "us")).toList();
        Aggregator<MergedPercentileResult> aggregator = new MergedPercentileResult("x", iterations.get(0), percentile, "us")
                .iterationAggregator();
        return aggregator.aggregate(results);
    }

    @Test
    void theMedianIsTheMedianOfAllValuesNotTheMeanOfTheMedians() {
        // 2000 values: 900 x 100, 1000 x 200, 100 x 1000. Their median is 200; the medians' mean would be 150.
        MergedPercentileResult p50 = merge(50.0);
        assertThat(p50.getScore()).isEqualTo(200.0);
        assertThat(p50.getRole()).isEqualTo(ResultRole.SECONDARY);
        assertThat(p50.getScoreUnit()).isEqualTo("us");
    }

    @Test
    void theP99AndTheMaximumAreThoseOfTheMergedDistribution() {
        // The slowest 5 % of 2000 values are all 1000 us: p99 is 1000 (the p99s' mean would be 600).
        assertThat(merge(99.0).getScore()).isEqualTo(histogramValue(1000));
        assertThat(merge(100.0).getScore()).isEqualTo(histogramValue(1000));
        // p90 over the merge: the 1800th value is 200 us (iteration A alone would say 100, B 200).
        assertThat(merge(90.0).getScore()).isEqualTo(200.0);
    }

    @Test
    void theMergedHistogramHoldsEveryValueOfEveryIteration() {
        Histogram merged = merge(50.0).histogram();
        assertThat(merged.getTotalCount()).isEqualTo(2000);
        assertThat(merged.getCountAtValue(100)).isEqualTo(900);
        assertThat(merged.getCountAtValue(200)).isEqualTo(1000);
    }

    @Test
    void handshakeAndSlowSubscriberPercentilesAreThoseOfTheMergedHistogramNotTheMeanOfTheIterations() {
        // Fork A: 980 handshakes of 1000 us, 20 of 5000 us (p50 1000, p99 5000); fork B: 1000 of 2000 us. Merged, the
        // 1000th and the 1980th of 2000 are both 2000 us, where the means of the forks' p50s and p99s are 1500 and 3500.
        Histogram a = LatencyRecorder.newHistogram();
        a.recordValueWithCount(1000, 980);
        a.recordValueWithCount(5000, 20);
        Histogram b = LatencyRecorder.newHistogram();
        b.recordValueWithCount(2000, 1000);
        Histogram merged = a.copy();
        merged.add(b);
        Map<String, Double> percentiles = Map.of(MetricNames.HANDSHAKE_P50, 50.0, MetricNames.HANDSHAKE_P99, 99.0,
                MetricNames.SLOW_LATENCY_P99, 99.0);

        for (var metric : percentiles.entrySet()) {
            double percentile = metric.getValue();
            MergedPercentileResult fromA = result(iterationWith(a, percentiles), metric.getKey());
            MergedPercentileResult fromB = result(iterationWith(b, percentiles), metric.getKey());
            MergedPercentileResult aggregated = fromA.iterationAggregator().aggregate(List.of(fromA, fromB));

            assertThat(fromA.getScore()).as(metric.getKey() + " of iteration A alone")
                    .isEqualTo((double) a.getValueAtPercentile(percentile));
            assertThat(aggregated.getScore()).as(metric.getKey())
                    .isEqualTo((double) merged.getValueAtPercentile(percentile))
                    .isNotEqualTo((fromA.getScore() + fromB.getScore()) / 2);
            assertThat(aggregated.histogram().getTotalCount()).as(metric.getKey()).isEqualTo(2000);
        }
    }

    /** An iteration that hands over {@code histogram} for each of {@code percentiles}' metrics, and nothing else. */
    private static LoadIteration iterationWith(Histogram histogram, Map<String, Double> percentiles) {
        Map<ThreadCpu.Role, Long> noCpu = new EnumMap<>(ThreadCpu.Role.class);
        for (ThreadCpu.Role role : ThreadCpu.Role.values()) {
            noCpu.put(role, 0L);
        }
        List<ScenarioPercentile> handedOver = percentiles.entrySet().stream()
                .map(p -> new ScenarioPercentile(p.getKey(), histogram, p.getValue(), "us")).toList();
        return new LoadIteration(LatencyRecorder.newHistogram(), LatencyRecorder.newHistogram(), 0, 0, Optional.empty(),
                new ThreadCpu.Split(1_000_000_000L, noCpu, 0), List.of(), handedOver);
    }

    /** The result named {@code label} among those the profiler adds for {@code iteration}. */
    private static MergedPercentileResult result(LoadIteration iteration, String label) {
        List<Result> named = EchoMetricsProfiler.loadMetrics(iteration).stream()
                .filter(r -> r.getLabel().equals(label)).toList();
        assertThat(named).as(label).hasSize(1).first().isInstanceOf(MergedPercentileResult.class);
        return (MergedPercentileResult) named.get(0);
    }

    /** What HdrHistogram reports for a recorded value at 3 significant digits: the top of its bucket. */
    private static double histogramValue(long value) {
        Histogram h = LatencyRecorder.newHistogram();
        h.recordValue(value);
        return h.getMaxValue();
    }
}
