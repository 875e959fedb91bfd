package io.wsbench.jmh;

import static org.assertj.core.api.Assertions.assertThat;

import io.wsbench.record.LatencyRecorder;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.results.Aggregator;
import org.openjdk.jmh.results.ResultRole;

/**
 * Percentiles aggregated over iterations are those of the merged distribution, not means of the iterations'
 * percentiles: checked on iterations with known, deliberately different distributions.
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

    /** What HdrHistogram reports for a recorded value at 3 significant digits: the top of its bucket. */
    private static double histogramValue(long value) {
        Histogram h = LatencyRecorder.newHistogram();
        h.recordValue(value);
        return h.getMaxValue();
    }
}
