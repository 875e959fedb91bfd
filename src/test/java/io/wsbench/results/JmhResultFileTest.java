package io.wsbench.results;

import io.wsbench.testing.JmhJson;

import io.wsbench.results.JmhResultFile.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class JmhResultFileTest {

    @TempDir
    Path dir;

    @Test
    void readsAGzippedFileAsTheSameResults() throws IOException {
        Path plain = new JmhJson().add("io.wsbench.roundtrip.EchoRoundTripBenchmark.throughput", "thrpt",
                Map.of("server", "netty"), "ops/s", 100, 2, 1).write(dir.resolve("run.json"));
        Path gzipped = dir.resolve("run.json.gz");
        try (java.io.OutputStream out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(gzipped))) {
            Files.copy(plain, out);
        }
        assertThat(JmhResultFile.read(gzipped).results()).isEqualTo(JmhResultFile.read(plain).results());
        assertThat(RunRecord.sidecarOf(gzipped).getFileName().toString()).isEqualTo("run.run.txt");
    }

    @Test
    void readsEveryFieldOfAThroughputResult() throws IOException {
        double[][] raw = {{100, 101, 102}, {110, 111, 112}};
        Path file = new JmhJson().addRaw("io.wsbench.codec.NettyFrameCodecBenchmark.decode", "thrpt",
                Map.of("payloadBytes", "125", "masked", "true"), "ops/s", raw).write(dir.resolve("run.json"));

        JmhResultFile run = JmhResultFile.read(file);

        assertThat(run.results()).hasSize(1);
        Result r = run.results().get(0);
        assertThat(r.benchmark()).isEqualTo("io.wsbench.codec.NettyFrameCodecBenchmark.decode");
        assertThat(r.shortName()).isEqualTo("NettyFrameCodecBenchmark.decode");
        assertThat(r.mode()).isEqualTo("thrpt");
        assertThat(r.higherIsBetter()).isTrue();
        assertThat(r.params()).containsExactly(Map.entry("masked", "true"), Map.entry("payloadBytes", "125"));
        assertThat(r.paramsText()).isEqualTo("masked=true, payloadBytes=125");
        assertThat(r.forks()).isEqualTo(2);
        assertThat(r.threads()).isEqualTo(1);
        assertThat(r.jdkVersion()).isEqualTo("17.0.15");
        assertThat(r.vmName()).isEqualTo("OpenJDK 64-Bit Server VM");
        assertThat(r.vmVersion()).startsWith("17.0.15");
        assertThat(r.jvmArgs()).containsExactly("-Xms1g", "-Xmx1g");
        assertThat(r.measurementIterations()).isEqualTo(3);
        assertThat(r.primaryMetric().scoreUnit()).isEqualTo("ops/s");
        assertThat(r.primaryMetric().score()).isCloseTo(106.0, within(1e-9));
        assertThat(r.primaryMetric().rawData()).containsExactly(
                java.util.List.of(100.0, 101.0, 102.0), java.util.List.of(110.0, 111.0, 112.0));
        assertThat(r.primaryMetric().iterationScores()).containsExactly(100, 101, 102, 110, 111, 112);
        assertThat(r.primaryMetric().percentiles()).containsKeys(0.0, 50.0, 99.9, 100.0);
    }

    @Test
    void sampleTimeSamplesAreEachIterationsHistogramMean() throws IOException {
        Path file = new JmhJson().addSample("a.B.roundTrip", Map.of(), "us/op", 50.0, 0.02, 7)
                .write(dir.resolve("sample.json"));

        Result r = JmhResultFile.read(file).results().get(0);

        assertThat(r.mode()).isEqualTo("sample");
        assertThat(r.higherIsBetter()).isFalse();
        assertThat(r.primaryMetric().rawData()).isEmpty();
        assertThat(r.primaryMetric().rawDataHistogram()).hasSize(JmhJson.FORKS);
        double[] expected = java.util.Arrays.stream(JmhJson.samples(50.0, 0.02, JmhJson.FORKS, JmhJson.ITERATIONS, 7))
                .flatMapToDouble(java.util.Arrays::stream).toArray();
        assertThat(r.primaryMetric().iterationScores()).containsExactly(expected, within(1e-9));
    }

    @Test
    void secondaryMetricsAreFoundByNameWithOrWithoutJmhsProfilerPrefix() throws IOException {
        String json = new JmhJson().addWithAlloc("a.B.encode", "avgt", Map.of(), "ns/op", 80, 152, 1).json()
                .replace("\"gc.count\"", "\"\u00b7gc.count\"");
        Path file = Files.writeString(dir.resolve("gc.json"), json);

        Result r = JmhResultFile.read(file).results().get(0);

        assertThat(r.secondaryMetrics()).containsKeys("gc.alloc.rate.norm", "gc.count");
        assertThat(r.secondaryMetrics().get("gc.alloc.rate.norm").score()).isCloseTo(152, within(1e-9));
        assertThat(r.secondaryMetrics().get("gc.alloc.rate.norm").scoreUnit()).isEqualTo("B/op");
    }

    @Test
    void nanScoreErrorWrittenAsAStringIsRead() throws IOException {
        Path file = new JmhJson().addRaw("a.B.c", "avgt", Map.of(), "ns/op", new double[][] {{5.0}})
                .write(dir.resolve("one.json"));

        assertThat(JmhResultFile.read(file).results().get(0).primaryMetric().scoreError()).isNaN();
    }

    @Test
    void everyPlannedIterationPresentMeansComplete() throws IOException {
        Path file = new JmhJson()
                .addRaw("a.B.throughput", "thrpt", Map.of(), "ops/s", new double[][] {{1, 2, 3}, {4, 5, 6}})
                .addSample("a.B.latency", Map.of(), "us/op", 50.0, 0.02, 7)
                .write(dir.resolve("complete.json"));

        assertThat(JmhResultFile.read(file).results()).allSatisfy(r -> {
            assertThat(r.recordedIterations()).isEqualTo(r.plannedIterations()).isPositive();
            assertThat(r.complete()).isTrue();
        });
    }

    @Test
    void aTrialThatFailedPartWayIsIncomplete() throws IOException {
        // What JMH writes when fork 2 of 2 failed in its 2nd of 3 iterations and the run went on (no -foe).
        Path file = new JmhJson()
                .addRaw("a.B.throughput", "thrpt", Map.of(), "ops/s", new double[][] {{1, 2, 3}, {4}})
                .write(dir.resolve("partial.json"));

        Result r = JmhResultFile.read(file).results().get(0);

        assertThat(r.forks()).isEqualTo(2);
        assertThat(r.recordedIterations()).isEqualTo(4);
        assertThat(r.plannedIterations()).isEqualTo(6);
        assertThat(r.complete()).isFalse();
    }

    @Test
    void missingFileNamesTheFileAndTheFix() {
        Path missing = dir.resolve("nope.json");

        assertThatThrownBy(() -> JmhResultFile.read(missing))
                .isInstanceOf(JmhResultFileException.class)
                .hasMessageContaining(missing.toString())
                .hasMessageContaining("no such file")
                .hasMessageContaining("-rf json");
    }

    @Test
    void jsonThatIsNotAJmhResultIsRejectedClearly() throws IOException {
        Path object = Files.writeString(dir.resolve("object.json"), "{\"benchmarks\": []}");
        Path noMetric = Files.writeString(dir.resolve("nometric.json"), "[{\"benchmark\": \"a.B.c\", \"mode\": \"avgt\"}]");
        Path garbage = Files.writeString(dir.resolve("garbage.json"), "Benchmark  Mode  Cnt  Score");

        assertThatThrownBy(() -> JmhResultFile.read(object)).hasMessageContaining("expected a JSON array of results");
        assertThatThrownBy(() -> JmhResultFile.read(noMetric))
                .hasMessageContaining("result #1").hasMessageContaining("\"primaryMetric\" is missing");
        assertThatThrownBy(() -> JmhResultFile.read(garbage)).isInstanceOf(JmhResultFileException.class);
    }
}
