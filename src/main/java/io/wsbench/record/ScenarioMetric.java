package io.wsbench.record;

/**
 * A figure one scenario adds to an iteration's results beside latency, rate and CPU (bytes on the wire per message,
 * memory per connection, connections opened per second), averaged over iterations like JMH's own secondary results.
 * A percentile is not one of these: it is a {@link ScenarioPercentile}, merged instead.
 *
 * @param name the metric's name, one of {@link io.wsbench.results.MetricNames}
 * @param value its value in {@code unit}
 * @param unit what the value counts, as shown beside it
 */
public record ScenarioMetric(String name, double value, String unit) {
}
