package io.wsbench.jmh;

import static org.assertj.core.api.Assertions.assertThat;

import io.wsbench.results.MetricNames;
import io.wsbench.testing.JavaProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openjdk.jmh.runner.BenchmarkList;

/**
 * The jar's main class adds the metrics profiler to a run of a benchmark with a server, so plain {@code java -jar
 * target/benchmarks.jar EchoLoadBenchmark} writes the suite's figures, and leaves every other run as JMH's.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class WsbenchMainTest {
    private static final String PROFILER = EchoMetricsProfiler.class.getName();
    private static final BenchmarkList BENCHMARKS = BenchmarkList.defaultList();

    private static List<String> args(String... args) {
        return List.of(WsbenchMain.withMetricsProfiler(args, BENCHMARKS));
    }

    @Test
    void aBenchmarkWithAServerGetsTheProfilerFirst() {
        assertThat(args("EchoLoadBenchmark", "-prof", "gc")).containsExactly("-prof", PROFILER, "EchoLoadBenchmark", "-prof", "gc");
        assertThat(args("IdleConnectionsBenchmark.echo$", "-f", "1")).startsWith("-prof", PROFILER);
        assertThat(args("-f", "1")).as("no include: every benchmark, the round trip among them").startsWith("-prof", PROFILER);
    }

    @Test
    void anExplicitProfilerAListingOrACodecRunIsLeftAlone() {
        assertThat(args("EchoLoadBenchmark", "-prof", PROFILER)).containsExactly("EchoLoadBenchmark", "-prof", PROFILER);
        assertThat(args("-l")).containsExactly("-l");
        assertThat(args("NettyFrameCodecBenchmark", "-prof", "gc")).containsExactly("NettyFrameCodecBenchmark", "-prof", "gc");
        assertThat(args("EchoLoadBenchmark", "-e", "io.wsbench.load")).containsExactly("EchoLoadBenchmark", "-e", "io.wsbench.load");
    }

    @Test
    void aPlainRunOfTheLoadWritesLatencyAndServerCpuIntoItsJson(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("load.json");
        Process jmh = new ProcessBuilder(JavaProcess.command(WsbenchMain.class.getName(), "EchoLoadBenchmark.echo$",
                "-p", "server=netty", "-p", "connections=10", "-p", "loadModel=closed", "-f", "1", "-wi", "0", "-i", "1",
                "-r", "500ms", "-jvmArgsPrepend", "-Xms256m -Xmx256m", "-foe", "true", "-rf", "json", "-rff", json.toString()))
                .redirectErrorStream(true).redirectOutput(dir.resolve("jmh.log").toFile()).start();
        boolean ended = jmh.waitFor(150, TimeUnit.SECONDS);
        if (!ended) {
            JavaProcess.stop(jmh);
        }
        String log = Files.readString(dir.resolve("jmh.log"), StandardCharsets.UTF_8);
        assertThat(ended).as(log).isTrue();
        assertThat(jmh.exitValue()).as(log).isZero();
        assertThat(Files.readString(json, StandardCharsets.UTF_8)).contains("\"" + MetricNames.LATENCY_P99 + "\"")
                .contains("\"" + MetricNames.cpuMicrosPerMessage("server") + "\"");
    }
}
