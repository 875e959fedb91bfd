package io.wsbench.gate;

import io.wsbench.testing.JmhJson;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The resampled error rates on synthetic pools whose answer is known. */
class ErrorRatesTest {

    private static final int DRAWS = 2000;

    @Test
    void tightForksNeverFalseAlarmAndAlwaysCatchTwentyPercent() {
        ErrorRates.Pool pool = new ErrorRates.Pool("tight", false, normal(100, 0.01, 30, 1));

        assertThat(rate(pool, 0)).isZero();
        assertThat(rate(pool, 0.20)).isEqualTo(1.0);
    }

    @Test
    void aChangeInsideTheThresholdIsNeverCaughtHoweverTight() {
        ErrorRates.Pool pool = new ErrorRates.Pool("tight", false, normal(100, 0.005, 30, 2));

        assertThat(rate(pool, 0.05)).isZero();
    }

    @Test
    void forksThatScatterByAThirdRarelyCatchTenPercent() {
        ErrorRates.Pool pool = new ErrorRates.Pool("noisy", false, normal(100, 0.33, 30, 3));

        assertThat(rate(pool, 0.10)).isLessThan(0.1);
        assertThat(rate(pool, 0)).isLessThan(0.02);
    }

    @Test
    void throughputIsMadeWorseByLoweringIt() {
        ErrorRates.Pool pool = new ErrorRates.Pool("thrpt", true, normal(10_000, 0.01, 30, 4));

        assertThat(rate(pool, 0.20)).isEqualTo(1.0);
    }

    @Test
    void reportReadsAbFoldersAndNeedsEnoughForks(@TempDir Path dir) throws IOException {
        Path run = Files.createDirectories(dir.resolve("run1"));
        Map<String, String> params = Map.of("payloadBytes", "125");
        double[][] forks = new double[10][];
        for (int f = 0; f < forks.length; f++) {
            forks[f] = new double[] {100 + f % 3, 100 + f % 3};
        }
        new JmhJson().addRaw("io.wsbench.codec.JettyFrameCodecBenchmark.encode", "avgt", params, "ns/op", forks)
                .write(run.resolve("base.json"));
        new JmhJson().addRaw("io.wsbench.codec.JettyFrameCodecBenchmark.encode", "avgt", params, "ns/op", forks)
                .write(run.resolve("head.json"));

        String report = ErrorRates.report(List.of(run), 5, new double[] {20}, Thresholds.of(10), 0.01, 500, 7);

        assertThat(report).contains("JettyFrameCodecBenchmark.encode [avgt] payloadBytes=125")
                .contains("  20  ").contains("detect +20%").contains("any row of the run");
        assertThat(report.lines().filter(l -> l.startsWith("JettyFrameCodecBenchmark")).findFirst().orElseThrow())
                .matches(".*\\s0\\.0%\\s+100\\.0%$");
        assertThatThrownBy(() -> ErrorRates.report(List.of(run), 11, new double[] {20}, Thresholds.of(10), 0.01, 10, 7))
                .hasMessageContaining("fewer than the 22");
        assertThatThrownBy(() -> ErrorRates.report(List.of(dir.resolve("absent")), 5, new double[] {20}, Thresholds.of(10), 0.01, 10, 7))
                .hasMessageContaining("scripts/gate ab --out DIR");
    }

    private static double rate(ErrorRates.Pool pool, double effect) {
        return ErrorRates.rate(pool, 5, effect, 10, 0.01, DRAWS, new Random(11), new boolean[DRAWS]);
    }

    private static double[] normal(double mean, double cv, int n, long seed) {
        Random random = new Random(seed);
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            values[i] = mean * (1 + cv * random.nextGaussian());
        }
        return values;
    }
}
