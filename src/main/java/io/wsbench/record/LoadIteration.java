package io.wsbench.record;

import java.util.List;
import java.util.Optional;
import org.HdrHistogram.Histogram;

/**
 * What one iteration of a load run measured.
 *
 * @param latencyMicros round-trip latency of every echo, from the time its message was due to be sent
 * @param sendLagMicros how late each message left the client compared with when it was due: the
 *     client's own contribution to the latency (near 0 unless the client falls behind its schedule)
 * @param messages echoes received in the CPU window, the denominator of CPU per message
 * @param achievedPerSecond echoes per second while the load was on
 * @param openLoopRate the target and achieved rate of an open-loop run; empty for a closed loop
 * @param cpu CPU used by server, client and the JVM over the iteration
 * @param scenario what else the scenario measured (bytes on the wire, memory per connection, ...); often none
 * @param scenarioPercentiles percentiles of the scenario's own histograms (handshakes, the slow subscriber's latency),
 *     merged over iterations like the latency's; often none
 */
public record LoadIteration(
        Histogram latencyMicros,
        Histogram sendLagMicros,
        long messages,
        double achievedPerSecond,
        Optional<RateCheck> openLoopRate,
        ThreadCpu.Split cpu,
        List<ScenarioMetric> scenario,
        List<ScenarioPercentile> scenarioPercentiles) {

    public LoadIteration {
        scenario = List.copyOf(scenario);
        scenarioPercentiles = List.copyOf(scenarioPercentiles);
    }
}
