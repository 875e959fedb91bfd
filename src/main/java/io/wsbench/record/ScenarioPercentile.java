package io.wsbench.record;

import org.HdrHistogram.Histogram;

/**
 * A percentile of a scenario's own histogram (each connection's handshake, the slow subscriber's latency) that one
 * iteration hands over with its histogram, so that over iterations and forks it is the percentile of the merged
 * histograms, as the load's latency is, never a mean of percentiles.
 *
 * @param name the metric's name, one of {@link io.wsbench.results.MetricNames}
 * @param histogram what the iteration recorded, in {@code unit}
 * @param percentile 0 to 100
 * @param unit what the histogram's values count, as shown beside the percentile
 */
public record ScenarioPercentile(String name, Histogram histogram, double percentile, String unit) {
}
