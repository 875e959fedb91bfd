package io.wsbench.jmh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wsbench.results.HlogNames;
import io.wsbench.results.MetricNames;
import io.wsbench.testing.HlogFixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.HdrHistogram.Histogram;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * The scenario benchmarks run through JMH as users run them: broadcast on the WebSocket servers, TLS and
 * permessage-deflate on the echo load, idle connections embedded and forked, each with a positive verified score and
 * its own metrics; a scenario a server cannot serve fails its trial. Wiring, not measurement.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class ScenarioBenchmarksTest {

    private static ChainedOptionsBuilder shortRun(String include) {
        return new OptionsBuilder()
                .include(include)
                .forks(1)
                .warmupIterations(0)
                .measurementIterations(1)
                .measurementTime(TimeValue.milliseconds(300))
                .shouldFailOnError(true)
                .jvmArgsPrepend("-Xms512m", "-Xmx512m")
                .addProfiler(EchoMetricsProfiler.class);
    }

    /** The Java 17 WebSocket servers but javawebsocket, whose library stalls now and then (docs/faults.md). */
    private static final String[] ROOM_SERVERS = {"netty", "jetty", "tyrus", "undertow", "vertx", "tomcat"};

    @Test
    void broadcastDeliversVerifiedToEveryMemberOnEveryServer() throws RunnerException {
        Collection<RunResult> results = new Runner(shortRun("io.wsbench.broadcast.BroadcastBenchmark")
                .param("server", ROOM_SERVERS)
                .param("subscribers", "5")
                .param("loadModel", "closed")
                .build()).run();
        assertThat(results).hasSize(ROOM_SERVERS.length);
        for (RunResult r : results) {
            String server = r.getParams().getParam("server");
            assertThat(r.getPrimaryResult().getScore()).as(server + " deliveries/s").isPositive();
            assertThat(r.getSecondaryResults().get(MetricNames.LATENCY_P50).getScore()).as(server).isPositive();
            assertThat(r.getSecondaryResults().get(MetricNames.WIRE_BYTES_PER_MESSAGE).getScore()).as(server).isPositive();
        }
    }

    @Test
    void aBroadcastOnAFloorFailsItsTrial() {
        assertThatThrownBy(() -> new Runner(shortRun("io.wsbench.broadcast.BroadcastBenchmark")
                .param("server", "rawtcp").param("subscribers", "5").param("loadModel", "closed").build()).run())
                .isInstanceOf(RunnerException.class);
    }

    /** The slow member's metrics come with every iteration and its latency goes to a log of its own, beside the room's. */
    @Test
    void aSlowSubscriberIsReportedAndLoggedApart(@TempDir Path hlogDir) throws Exception {
        RunResult result = new Runner(shortRun("io.wsbench.broadcast.BroadcastBenchmark")
                .param("server", "netty")
                .param("subscribers", "5")
                .param("loadModel", "closed")
                .param("slowSubscriber", "true")
                .jvmArgsAppend("-Dwsbench.hlogDir=" + hlogDir)
                .build()).runSingle();

        assertThat(result.getPrimaryResult().getScore()).isPositive();
        assertThat(result.getSecondaryResults())
                .containsKeys(MetricNames.SLOW_LOST, MetricNames.SLOW_DISCONNECTED, MetricNames.SLOW_BACKLOG);
        List<String> logs;
        try (var files = Files.list(hlogDir)) {
            logs = files.map(log -> log.getFileName().toString()).toList();
        }
        assertThat(logs).as("the room's latency log and the slow member's").hasSize(2)
                .anyMatch(HlogNames::isLatencyLog)
                .anyMatch(name -> !HlogNames.isLatencyLog(name) && name.contains(MetricNames.SLOW_LATENCY));
    }

    /** tlsProvider is a parameter of every load benchmark and means nothing without tls: each refuses it. */
    @Test
    void aTlsProviderWithoutTlsFailsEveryLoadBenchmark() {
        Map<String, String[]> ownParam = Map.of("io.wsbench.broadcast.BroadcastBenchmark", new String[] {"subscribers", "5"},
                "io.wsbench.idle.IdleConnectionsBenchmark", new String[] {"connections", "5"});
        ownParam.forEach((benchmark, param) -> assertThatThrownBy(() -> new Runner(shortRun(benchmark)
                .param("server", "netty").param(param[0], param[1]).param("tlsProvider", "openssl").build()).run())
                .as(benchmark).isInstanceOf(RunnerException.class)
                .hasStackTraceContaining("tlsProvider=openssl without tls=true"));
    }

    @Test
    void tlsAndDeflateGiveVerifiedEchoesWithTheirBytesOnTheWire() throws RunnerException {
        Collection<RunResult> results = new Runner(shortRun("io.wsbench.load.EchoLoadBenchmark")
                .param("server", "netty", "jetty")
                .param("connections", "5")
                .param("loadModel", "closed")
                .param("payloadBytes", "1024")
                .param("payloadContent", "json")
                .param("compression", "none", "deflate")
                .param("tls", "false", "true")
                .build()).run();
        assertThat(results).hasSize(8);
        for (RunResult r : results) {
            String run = r.getParams().getParam("server") + " tls=" + r.getParams().getParam("tls") + " compression="
                    + r.getParams().getParam("compression");
            assertThat(r.getPrimaryResult().getScore()).as(run).isPositive();
            double wire = r.getSecondaryResults().get(MetricNames.WIRE_BYTES_PER_MESSAGE).getScore();
            if (r.getParams().getParam("compression").equals("deflate")) {
                assertThat(wire).as(run + ": json deflated, both ways").isLessThan(1024);
            } else {
                assertThat(wire).as(run + ": 1024 bytes each way and framing").isGreaterThan(2048);
            }
        }
    }

    @Test
    void tlsOnAFloorFailsItsTrial() {
        assertThatThrownBy(() -> new Runner(shortRun("io.wsbench.load.EchoLoadBenchmark")
                .param("server", "rawtcp").param("connections", "5").param("loadModel", "closed").param("tls", "true")
                .build()).run()).isInstanceOf(RunnerException.class);
    }

    @Test
    void idleConnectionsReportTheirCostEmbeddedAndForked() throws RunnerException {
        Collection<RunResult> results = new Runner(shortRun("io.wsbench.idle.IdleConnectionsBenchmark")
                .param("server", "netty")
                .param("connections", "200")
                .param("rate", "200")
                .param("serverProcess", "embedded", "forked")
                .build()).run();
        assertThat(results).hasSize(2);
        for (RunResult r : results) {
            String process = r.getParams().getParam("serverProcess");
            Map<String, Result> metrics = r.getSecondaryResults();
            assertThat(r.getPrimaryResult().getScore()).as(process + " echoes/s").isPositive();
            for (String name : List.of(MetricNames.CONNECT_PER_SECOND, MetricNames.HANDSHAKE_P50, MetricNames.HANDSHAKE_P99)) {
                assertThat(metrics.get(name).getScore()).as(process + " " + name).isPositive();
            }
            assertThat(metrics).as(process).containsKeys(MetricNames.HEAP_BYTES_PER_CONNECTION, MetricNames.RSS_BYTES_PER_CONNECTION);
            if (process.equals("forked")) {
                assertThat(metrics).containsKey(MetricNames.CLIENT_HEAP_BYTES_PER_CONNECTION);
                assertThat(metrics.get(MetricNames.SERVER_RSS).getScore()).as("the forked server's own RSS").isPositive();
            } else {
                assertThat(metrics).doesNotContainKey(MetricNames.CLIENT_HEAP_BYTES_PER_CONNECTION);
            }
        }
    }

    /**
     * The handshake percentiles are those of every fork's handshakes merged, each counted once however many iterations
     * the fork ran: the percentiles of the forks' handshake logs added up.
     */
    @Test
    void idleHandshakePercentilesAreThoseOfTheForksMergedHandshakeLogs(@TempDir Path hlogDir) throws Exception {
        int connections = 100;
        RunResult result = new Runner(shortRun("io.wsbench.idle.IdleConnectionsBenchmark")
                .forks(2)
                .measurementIterations(2)
                .param("server", "netty")
                .param("connections", String.valueOf(connections))
                .param("rate", "200")
                .jvmArgsAppend("-Dwsbench.hlogDir=" + hlogDir)
                .build()).runSingle();

        List<Path> handshakeLogs;
        try (var logs = Files.list(hlogDir)) {
            handshakeLogs = logs.filter(log -> !HlogNames.isLatencyLog(log.getFileName().toString())).toList();
        }
        assertThat(handshakeLogs).as("one handshake log per fork").hasSize(2);
        Histogram merged = HlogFixtures.mergeLogs(handshakeLogs);
        assertThat(merged.getTotalCount()).as("every fork's connections, once").isEqualTo(2L * connections);
        Map<String, Result> metrics = result.getSecondaryResults();
        assertThat(((MergedPercentileResult) metrics.get(MetricNames.HANDSHAKE_P99)).histogram().getTotalCount())
                .as("handed to JMH once per fork, not once per iteration").isEqualTo(2L * connections);
        assertThat(metrics.get(MetricNames.HANDSHAKE_P50).getScore()).isEqualTo((double) merged.getValueAtPercentile(50));
        assertThat(metrics.get(MetricNames.HANDSHAKE_P99).getScore()).isEqualTo((double) merged.getValueAtPercentile(99));
    }
}
