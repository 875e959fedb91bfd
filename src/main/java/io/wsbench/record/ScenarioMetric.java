package io.wsbench.record;

/**
 * A figure one scenario adds to an iteration's results beside latency, rate and CPU (bytes on the wire per message,
 * memory per connection, a handshake percentile), averaged over iterations like JMH's own secondary results.
 *
 * @param name the metric's name, one of {@link io.wsbench.results.MetricNames}
 * @param value its value in {@code unit}
 * @param unit what the value counts, as shown beside it
 */
public record ScenarioMetric(String name, double value, String unit) {
}
