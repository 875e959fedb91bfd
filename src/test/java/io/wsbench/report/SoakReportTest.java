package io.wsbench.report;

import io.wsbench.results.JmhResultFile;
import io.wsbench.testing.JmhJson;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SoakReportTest {
    private static final String LOAD = "io.wsbench.load.EchoLoadBenchmark.echo";

    /** One fork of five one-minute iterations; p99 grows 10 µs a minute, the heap 2 MiB a minute. */
    private static JmhJson soak(String server, double p99Slope, double heapSlope) {
        double[][] p99 = {{100, 100 + p99Slope, 100 + 2 * p99Slope, 100 + 3 * p99Slope, 100 + 4 * p99Slope}};
        double[][] heap = {{50, 50 + heapSlope, 50 + 2 * heapSlope, 50 + 3 * heapSlope, 50 + 4 * heapSlope}};
        Map<String, Map.Entry<String, double[][]>> secondaries = new LinkedHashMap<>();
        secondaries.put("latency.p50", Map.entry("us", new double[][] {{40, 41, 40, 42, 41}}));
        secondaries.put("latency.p99", Map.entry("us", p99));
        secondaries.put("latency.p999", Map.entry("us", new double[][] {{300, 310, 305, 320, 330}}));
        secondaries.put("latency.max", Map.entry("us", new double[][] {{900, 950, 905, 1200, 1000}}));
        secondaries.put("rate.achieved", Map.entry("msg/s", new double[][] {{5000, 5001, 4999, 5000, 5000}}));
        secondaries.put("heap.afterGc", Map.entry("MiB", heap));
        secondaries.put("rss", Map.entry("MiB", new double[][] {{300, 301, 302, 303, 304}}));
        return new JmhJson().addWithSecondaries(LOAD, "thrpt",
                Map.of("server", server, "connections", "100", "rate", "5000", "loadModel", "open"), "ops/s",
                new double[][] {{5000, 5001, 4999, 5000, 5000}}, secondaries);
    }

    @Test
    void minuteRowsAndDriftSlopesComeFromTheIterations(@TempDir Path dir) throws Exception {
        Path file = soak("netty", 10, 2).write(dir.resolve("soak.json"));
        List<SoakReport.ServerSoak> soaks = SoakReport.analyse(JmhResultFile.read(file));
        assertThat(soaks).hasSize(1);
        SoakReport.ServerSoak netty = soaks.get(0);
        assertThat(netty.minutes()).hasSize(5);
        assertThat(netty.p99().slopePerMinute()).isCloseTo(10, within(1e-9));
        assertThat(netty.p99().lastOverFirst()).isCloseTo(1.4, within(1e-9));
        assertThat(netty.heap().slopePerMinute()).isCloseTo(2, within(1e-9));
        String md = SoakReport.markdown(soaks);
        assertThat(md).contains("### netty (100 connections, 5000 msg/s)")
                .contains("| 5 | 5000 | 41 | 140 | 330 | 1000 | 58.0 | 304 |")
                .contains("p99 +10.0 µs/minute (last/first 1.40); heap after GC +2.00 MiB/minute");
    }

    @Test
    void aRunWithoutTheProfilerIsRejectedSayingWhichProfilerToAdd(@TempDir Path dir) throws Exception {
        Path file = new JmhJson().add(LOAD, "thrpt", Map.of("server", "netty"), "ops/s", 5000, 0.01, 1)
                .write(dir.resolve("plain.json"));
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = SoakReport.run(new String[] {file.toString()}, new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(exit).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("-prof io.wsbench.jmh.EchoMetricsProfiler");
    }

    @Test
    void aMissingFileIsAnInputError(@TempDir Path dir) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = SoakReport.run(new String[] {dir.resolve("none.json").toString()}, new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(exit).isEqualTo(2);
        assertThat(Files.exists(dir.resolve("none.json"))).isFalse();
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("none.json");
    }
}
