package io.wsbench.capacity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wsbench.capacity.CapacitySearch.Capacity;
import io.wsbench.capacity.CapacitySearch.Step;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Stepping the rate up and judging each step from the JMH JSON it wrote. */
class CapacitySearchTest {
    private static final double P99_BOUND_MICROS = 10_000;

    @TempDir
    Path dir;

    @Test
    void ladderIsGeometricRoundedAndBounded() {
        assertThat(CapacitySearch.ladder(2000, 1.5, 500_000, 14)).containsExactly(
                2000, 3000, 4500, 6800, 10000, 15000, 23000, 34000, 51000, 77000, 120000, 170000, 260000, 390000);
        assertThat(CapacitySearch.ladder(2000, 2, 10_000, 100)).containsExactly(2000, 4000, 8000);
        assertThat(CapacitySearch.ladder(2000, 2, 1_000_000, 3)).hasSize(3);
        assertThatThrownBy(() -> CapacitySearch.ladder(2000, 1.0, 10_000, 5)).hasMessageContaining("factor > 1");
    }

    @Test
    void aStepIsSustainedOnlyWhenValidAtRateAndUnderTheP99Bound() throws IOException {
        assertThat(judge(10_000, result(9_990, 850, 1)).sustained()).isTrue();
        assertThat(judge(10_000, result(9_990, 850, 1)).verdict()).isEqualTo("sustained (achieved 9990 msg/s, p99 0.85 ms)");

        Step slowTail = judge(10_000, result(9_990, 12_500, 1));
        assertThat(slowTail.sustained()).isFalse();
        assertThat(slowTail.verdict()).isEqualTo("p99 12.50 ms above the 10.00 ms bound");

        Step invalid = judge(10_000, result(9_990, 850, 0));
        assertThat(invalid.sustained()).isFalse();
        assertThat(invalid.verdict()).startsWith("marked invalid");

        Step short_ = judge(10_000, result(9_400, 850, 1));
        assertThat(short_.sustained()).isFalse();
        assertThat(short_.verdict()).isEqualTo("achieved 9400 msg/s, below 95 % of the target");
    }

    @Test
    void aRunWithoutResultIsAFailedStep() throws IOException {
        Path empty = Files.writeString(dir.resolve("empty.json"), "[\n]\n");
        Step failed = CapacitySearch.judge(5000, empty, P99_BOUND_MICROS, "run failed: no result, see steps/x.log");
        assertThat(failed.sustained()).isFalse();
        assertThat(failed.verdict()).isEqualTo("run failed: no result, see steps/x.log");
        assertThat(CapacitySearch.judge(5000, dir.resolve("missing.json"), P99_BOUND_MICROS, "run did not finish within 300 s")
                .sustained()).isFalse();
    }

    @Test
    void aResultWithoutTheProfilersMetricsIsAnErrorNotAVerdict() throws IOException {
        Path closedLoop = Files.writeString(dir.resolve("closed.json"), """
                [ { "benchmark" : "io.wsbench.load.EchoLoadBenchmark.echo", "mode" : "thrpt",
                    "params" : { "server" : "netty", "loadModel" : "closed" },
                    "primaryMetric" : { "score" : 1.0, "scoreUnit" : "ops/s" },
                    "secondaryMetrics" : {
                      "rate.achieved" : { "score" : 1.0, "scoreUnit" : "msg/s" },
                      "latency.p99" : { "score" : 1.0, "scoreUnit" : "us" } } } ]
                """);
        assertThatThrownBy(() -> CapacitySearch.judge(5000, closedLoop, P99_BOUND_MICROS, "no result"))
                .hasMessageContaining("lacks the secondary metric valid");
    }

    @Test
    void capacityIsTheLastSustainedStepBeforeTheFirstFailure() {
        Step s1 = new Step(2000, true, "sustained", 1999, 300);
        Step s2 = new Step(3000, true, "sustained", 2998, 450);
        Step f3 = new Step(4500, false, "p99 12.00 ms above the 10.00 ms bound", 4490, 12_000);
        Capacity netty = CapacitySearch.summarize("netty", 100, List.of(s1, s2, f3));
        assertThat(netty.highestSustained()).contains(s2);
        assertThat(netty.firstFailure()).contains(f3);

        Capacity tyrus = CapacitySearch.summarize("tyrus", 100, List.of(new Step(2000, false, "run failed", Double.NaN, Double.NaN)));
        Capacity rawtcp = CapacitySearch.summarize("rawtcp", 100, List.of(s1, s2));
        String table = CapacitySearch.markdownTable(List.of(netty, tyrus, rawtcp), P99_BOUND_MICROS);

        assertThat(table).contains("| netty | 100 | 3000 | 2998 | 0.45 | 4500 | p99 12.00 ms above the 10.00 ms bound |")
                .contains("| tyrus | 100 | none (below the first step) | – | – | 2000 | run failed |")
                .contains("| rawtcp | 100 | 3000 | 2998 | 0.45 | – | every step sustained: raise --cap or --steps |");
    }

    private Step judge(int rate, Path json) throws IOException {
        return CapacitySearch.judge(rate, json, P99_BOUND_MICROS, "no result");
    }

    /** A JMH JSON result as -rf json writes it, cut down to what the search reads. */
    private Path result(double achieved, double p99Micros, double valid) throws IOException {
        String json = """
                [ { "benchmark" : "io.wsbench.load.EchoLoadBenchmark.echo", "mode" : "thrpt",
                    "params" : { "server" : "netty", "connections" : "100", "loadModel" : "open", "rate" : "10000" },
                    "primaryMetric" : { "score" : %1$s, "scoreUnit" : "ops/s" },
                    "secondaryMetrics" : {
                      "rate.achieved" : { "score" : %1$s, "scoreUnit" : "msg/s" },
                      "latency.p99" : { "score" : %2$s, "scoreUnit" : "us" },
                      "valid" : { "score" : %3$s, "scoreUnit" : "1=valid" } } } ]
                """.formatted(achieved, p99Micros, valid);
        return Files.writeString(Files.createTempFile(dir, "step", ".json"), json);
    }
}
