package io.wsbench.jmh;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
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
                .jvmArgsAppend("-Xmx512m");
    }

    private static Map<String, Double> scoresByLabel(Collection<RunResult> results, String param) {
        Map<String, Double> scores = new TreeMap<>();
        for (RunResult r : results) {
            String label = r.getParams().getBenchmark().replaceAll(".*\\.", "") + "/" + r.getParams().getParam(param);
            scores.put(label, r.getPrimaryResult().getScore());
        }
        return scores;
    }

    @Test
    void roundTripRunsAgainstEveryServer() throws RunnerException {
        Collection<RunResult> results = new Runner(shortRun("io.wsbench.roundtrip.EchoRoundTripBenchmark")
                .param("payloadBytes", "64")
                .param("type", "text")
                .build()).run();
        Map<String, Double> scores = scoresByLabel(results, "server");
        assertThat(scores).containsOnlyKeys(
                "throughput/netty", "throughput/jetty", "throughput/tyrus", "throughput/rawtcp",
                "latency/netty", "latency/jetty", "latency/tyrus", "latency/rawtcp");
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
}
