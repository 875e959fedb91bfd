package io.wsbench.jmh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wsbench.server.EchoServer;
import io.wsbench.servers.NettyEchoServer;
import io.wsbench.server.ServerConfig;
import io.wsbench.testing.FaultyEcho;
import io.wsbench.testing.HlogFixtures;
import io.wsbench.testing.FaultyEcho.Fault;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.concurrent.TimeUnit;
import java.nio.file.Files;
import java.nio.file.Path;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.Timeout;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs every benchmark through JMH's Runner API for one very short iteration in a forked JVM, the way
 * users run them, and checks that each one produced a positive score for every server. This is a
 * wiring test (annotation processing, shading, @Setup/@TearDown, parameters), not a measurement.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class BenchmarkSmokeTest {

    private static ChainedOptionsBuilder shortRun(String include) {
        return new OptionsBuilder()
                .include(include)
                .forks(1)
                .warmupIterations(0)
                .measurementIterations(1)
                .measurementTime(TimeValue.milliseconds(300))
                .shouldFailOnError(true)
                .jvmArgsPrepend("-Xms512m", "-Xmx512m"); // replaces the benchmarks' own -Xms1g -Xmx1g
    }

    private static Map<String, Double> scoresByLabel(Collection<RunResult> results, String param) {
        Map<String, Double> scores = new TreeMap<>();
        for (RunResult r : results) {
            String label = r.getParams().getBenchmark().replaceAll(".*\\.", "") + "/" + r.getParams().getParam(param);
            scores.put(label, r.getPrimaryResult().getScore());
        }
        return scores;
    }

    /**
     * Every Java 17 server in the JVM and both floors, but javawebsocket: Java-WebSocket 1.6.0 leaves an echo unsent now
     * and then under sustained ping-pong (docs/faults.md), which would make this test fail on the library's race, not
     * on wsbench; its echo is held to the contract test, and the benchmarks report its stalls as failed trials.
     */
    private static final List<String> SMOKE_SERVERS =
            List.of("netty", "jetty", "tyrus", "undertow", "vertx", "tomcat", "rawtcp", "socket");

    @Test
    void roundTripRunsAgainstEveryServer() throws RunnerException {
        Collection<RunResult> results = new Runner(shortRun("io.wsbench.roundtrip.EchoRoundTripBenchmark")
                .param("payloadBytes", "64")
                .param("type", "text")
                .param("server", SMOKE_SERVERS.toArray(String[]::new))
                .build()).run();
        Map<String, Double> scores = scoresByLabel(results, "server");
        assertThat(scores).containsOnlyKeys(SMOKE_SERVERS.stream()
                .flatMap(server -> Stream.of("throughput/" + server, "latency/" + server)).toList());
        assertThat(scores.values()).allSatisfy(score -> assertThat(score).isPositive());
    }

    @Test
    void everyCodecBenchmarkRuns() throws RunnerException {
        Collection<RunResult> results = new Runner(shortRun("io.wsbench.codec.")
                .param("payloadBytes", "125")
                .param("type", "text")
                .param("masked", "true")
                .build()).run();
        Map<String, Double> scores = new TreeMap<>();
        for (RunResult r : results) {
            scores.put(r.getParams().getBenchmark().replace("io.wsbench.codec.", ""), r.getPrimaryResult().getScore());
        }
        assertThat(scores).containsKeys(
                "NettyFrameCodecBenchmark.encode", "NettyFrameCodecBenchmark.decode",
                "JettyFrameCodecBenchmark.encode", "JettyFrameCodecBenchmark.decode",
                "TyrusFrameCodecBenchmark.encode", "TyrusFrameCodecBenchmark.decode");
        assertThat(scores.keySet()).anyMatch(name -> name.startsWith("MaskingBenchmark."))
                .anyMatch(name -> name.startsWith("Utf8ValidationBenchmark."));
        assertThat(scores.values()).allSatisfy(score -> assertThat(score).isPositive());
    }

    private static final List<String> LOAD_METRICS = List.of("latency.p50", "latency.p90", "latency.p99", "latency.p999",
            "latency.p9999", "latency.max", "latency.count", "rate.achieved", "cpu.server.percentOfCore",
            "cpu.client.percentOfCore", "cpu.server.usPerMsg", "cpu.client.usPerMsg", "client.busiestThreadPercent",
            "heap.afterGc", "rss");
    private static final List<String> OPEN_LOOP_METRICS = List.of("rate.target", "rateShortfallPercent", "valid");

    @Test
    void loadRunsBothModelsWithItsSecondaryMetrics() throws RunnerException {
        Collection<RunResult> results = new Runner(shortRun("io.wsbench.load.EchoLoadBenchmark")
                .param("server", "netty", "rawtcp")
                .param("connections", "10")
                .param("loadModel", "closed", "open")
                .param("rate", "2000")
                .addProfiler(EchoMetricsProfiler.class)
                .build()).run();

        assertThat(scoresByLabel(results, "loadModel").keySet()).containsExactly("echo/closed", "echo/open");
        assertThat(results).hasSize(4);
        for (RunResult r : results) {
            String run = r.getParams().getParam("server") + "/" + r.getParams().getParam("loadModel");
            Map<String, Result> metrics = r.getSecondaryResults();
            assertThat(r.getPrimaryResult().getScore()).as(run + " echoes/s").isPositive();
            assertThat(metrics).as(run).containsKeys(LOAD_METRICS.toArray(String[]::new))
                    .containsKeys("sendLag.p50", "sendLag.p99", "cpu.gc.usPerMsg", "cpu.jit.usPerMsg", "cpu.jvmOther.usPerMsg",
                            "client.saturated");
            for (String name : LOAD_METRICS) {
                assertThat(metrics.get(name).getScore()).as(run + " " + name).isPositive();
            }
            if (r.getParams().getParam("loadModel").equals("open")) {
                assertThat(metrics.get("rate.target").getScore()).as(run).isEqualTo(2000.0);
                assertThat(metrics.get("valid").getScore()).as(run).isIn(0.0, 1.0);
                assertThat(metrics.get("rateShortfallPercent").getScore()).as(run).isBetween(0.0, 100.0);
            } else {
                assertThat(metrics).as(run).doesNotContainKeys(OPEN_LOOP_METRICS.toArray(String[]::new));
            }
        }
    }

    /** The load's latency percentiles in JMH's results are those of the merged histogram log of the trial. */
    @Test
    void loadPercentilesAreThoseOfTheTrialsMergedHistogramLog(@TempDir Path hlogDir) throws Exception {
        Collection<RunResult> results = new Runner(shortRun("io.wsbench.load.EchoLoadBenchmark")
                .param("server", "netty")
                .param("connections", "10")
                .param("loadModel", "open")
                .param("rate", "5000")
                .measurementIterations(3)
                .jvmArgsAppend("-Dwsbench.hlogDir=" + hlogDir)
                .addProfiler(EchoMetricsProfiler.class)
                .build()).run();

        Histogram merged;
        try (var logs = Files.list(hlogDir)) {
            merged = HlogFixtures.mergeLogs(logs.toList());
        }
        assertThat(merged.getTotalCount()).as("the trial's hlog").isPositive();
        Map<String, Result> metrics = results.iterator().next().getSecondaryResults();
        assertThat(metrics.get("latency.count").getScore()).isEqualTo((double) merged.getTotalCount());
        assertThat(metrics.get("latency.p50").getScore()).isEqualTo((double) merged.getValueAtPercentile(50));
        assertThat(metrics.get("latency.p99").getScore()).isEqualTo((double) merged.getValueAtPercentile(99));
        assertThat(metrics.get("latency.p999").getScore()).isEqualTo((double) merged.getValueAtPercentile(99.9));
        assertThat(metrics.get("latency.max").getScore()).isEqualTo((double) merged.getMaxValue());
    }

    @Test
    void metricsProfilerAddsCpuAndMemoryToTheRoundTrip() throws RunnerException {
        Collection<RunResult> results = new Runner(shortRun("io.wsbench.roundtrip.EchoRoundTripBenchmark.throughput")
                .param("server", "netty")
                .param("payloadBytes", "64")
                .param("type", "text")
                .addProfiler(EchoMetricsProfiler.class)
                .build()).run();

        assertThat(results).hasSize(1);
        Map<String, Result> metrics = results.iterator().next().getSecondaryResults();
        for (String name : List.of("cpu.server.percentOfCore", "cpu.client.percentOfCore", "cpu.server.usPerMsg",
                "cpu.client.usPerMsg", "client.busiestThreadPercent", "heap.afterGc", "rss")) {
            assertThat(metrics).containsKey(name);
            assertThat(metrics.get(name).getScore()).as(name).isPositive();
        }
        assertThat(metrics).doesNotContainKey("latency.p99");
    }

    @Test
    void aCorruptedEchoFailsTheLoadTrial() throws RunnerException {
        try (EchoServer healthy = new NettyEchoServer(ServerConfig.defaults())) {
            assertThat(new Runner(loadAgainst(healthy.start().toString())).run()).hasSize(1);
        }
        // The second message of each connection: any run, however slow the machine, gets that far.
        try (EchoServer corrupting = FaultyEcho.server(Fault.CORRUPT, 1, 0)) {
            String target = corrupting.start().toString();
            assertThatThrownBy(() -> new Runner(loadAgainst(target)).run()).isInstanceOf(RunnerException.class);
        }
    }

    /** Ten connections of the closed-loop load to a server this test runs, through the target parameter. */
    private static Options loadAgainst(String target) {
        return shortRun("io.wsbench.load.EchoLoadBenchmark")
                .param("target", target)
                .param("server", "netty@loopback")
                .param("connections", "10")
                .param("loadModel", "closed")
                .build();
    }
}
