package io.wsbench.jmh;

import static org.assertj.core.api.Assertions.assertThat;

import io.wsbench.jmh.WatchedJmhRun.Trial;
import io.wsbench.results.MetricNames;
import io.wsbench.servers.python.PythonInterpreter;
import io.wsbench.testing.MachineRequirement;
import io.wsbench.testing.SocketIoEcho;
import io.wsbench.testing.SocketIoEcho.Fault;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * The Python servers and the Socket.IO client through JMH, as users run them: the load benchmark measures fastapi
 * and flask-socketio, the round trip fastapi (its blocking client speaks no Socket.IO, and says so), with every echo
 * verified; a Socket.IO server given by URL is measured (and a corrupted response fails its trial as a corrupted echo
 * does); without the Python packages both servers' trials fail naming the apt-get command. Wiring, not measurement:
 * one fork, one short iteration.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class PythonBenchmarkTest {
    private static final String LOAD = "io.wsbench.load.EchoLoadBenchmark";
    private static final String ROUND_TRIP = "io.wsbench.roundtrip.EchoRoundTripBenchmark.throughput";
    /** Early enough that the one connection reaches it in the first iteration on a loaded machine. */
    private static final int FAULTY_MESSAGE = 20;

    private static ChainedOptionsBuilder shortRun(String include) {
        return new OptionsBuilder()
                .include(include)
                .forks(1)
                .warmupIterations(0)
                .measurementIterations(1)
                .measurementTime(TimeValue.seconds(1))
                .shouldFailOnError(false)
                .jvmArgsPrepend("-Xms256m", "-Xmx256m")
                .param("payloadBytes", "64")
                .param("type", "text");
    }

    @Test
    void bothBenchmarksMeasureThePythonServersWithEveryEchoVerified(@TempDir Path dir) throws IOException {
        MachineRequirement.requirePythonServers();
        WatchedJmhRun load = WatchedJmhRun.run(shortRun(LOAD)
                .param("server", "fastapi", "flask-socketio")
                .param("connections", "100")
                .param("loadModel", "closed")
                .addProfiler(EchoMetricsProfiler.class)
                .build(), dir.resolve("load.log"));
        WatchedJmhRun roundTrip = WatchedJmhRun.run(shortRun(ROUND_TRIP)
                .param("server", "fastapi")
                .build(), dir.resolve("roundtrip.log"));

        for (WatchedJmhRun run : new WatchedJmhRun[] {load, roundTrip}) {
            assertThat(run.failure()).isNull();
            assertThat(run.trials()).allSatisfy(t -> assertThat(t.failed()).as(t.output()).isFalse());
        }
        assertThat(scores(load)).containsOnlyKeys("fastapi", "flask-socketio").allSatisfy((server, score) ->
                assertThat(score).as(server).isPositive());
        // The server's CPU and memory are its Python process's, read from /proc, not this JVM's threads.
        assertThat(load.results()).allSatisfy(r -> {
            Map<String, Result> secondary = r.getSecondaryResults();
            assertThat(secondary.get(MetricNames.cpuMicrosPerMessage("server")).getScore()).as("server CPU").isPositive();
            assertThat(secondary.get(MetricNames.SERVER_RSS).getScore()).as("server RSS").isPositive();
        });
        assertThat(scores(roundTrip)).containsOnlyKeys("fastapi").allSatisfy((server, score) ->
                assertThat(score).as(server).isPositive());
    }

    @Test
    void theRoundTripsBlockingClientRefusesSocketIoSayingWhereToMeasureIt(@TempDir Path dir) throws IOException {
        WatchedJmhRun run = WatchedJmhRun.run(shortRun(ROUND_TRIP).param("server", "flask-socketio").build(), dir.resolve("jmh.log"));
        assertThat(run.trials()).singleElement().satisfies(t -> {
            assertThat(t.failed()).isTrue();
            assertThat(t.output()).contains("the round trip's blocking client speaks plain WebSocket and raw TCP, not socketio")
                    .contains("measure a Socket.IO server with EchoLoadBenchmark");
        });
    }

    @Test
    void aSocketIoServerIsMeasuredByUrlAndACorruptedResponseFailsItsTrial(@TempDir Path dir) throws IOException {
        SocketIoEcho healthy = new SocketIoEcho(Fault.NONE, 0);
        SocketIoEcho corrupting = new SocketIoEcho(Fault.CORRUPT, FAULTY_MESSAGE);
        try {
            URI healthyUri = healthy.start();
            URI corruptingUri = corrupting.start();
            WatchedJmhRun run = WatchedJmhRun.run(shortRun(LOAD)
                    .param("server", "socketio@127.0.0.1")
                    .param("connections", "1")
                    .param("loadModel", "closed")
                    .param("target", healthyUri.toString(), corruptingUri.toString())
                    .param("protocol", "socketio")
                    .param("echoPrefix", SocketIoEcho.PREFIX)
                    .build(), dir.resolve("jmh.log"));

            Trial good = run.trial("target", healthyUri.toString());
            assertThat(good.failed()).as(good.output()).isFalse();
            Trial bad = run.trial("target", corruptingUri.toString());
            assertThat(bad.failed()).isTrue();
            assertThat(bad.output()).contains("EchoFailedException: corrupted echo of message #" + FAULTY_MESSAGE + ": byte 63 is")
                    .contains("(from " + corruptingUri + ")");
        } finally {
            healthy.close();
            corrupting.close();
        }
    }

    @Test
    void withoutThePythonPackagesBothServersFailNamingTheAptGetCommand(@TempDir Path dir) throws IOException {
        Path fake = dir.resolve("python3");
        Files.writeString(fake, "#!/bin/sh\necho \"ModuleNotFoundError: No module named 'fastapi'\" >&2\nexit 1\n");
        Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwx------"));
        WatchedJmhRun run = WatchedJmhRun.run(shortRun(LOAD)
                .param("server", "fastapi", "flask-socketio")
                .param("connections", "10")
                .param("loadModel", "closed")
                .jvmArgsAppend("-D" + PythonInterpreter.PROPERTY + "=" + fake)
                .build(), dir.resolve("jmh.log"));

        assertThat(run.trials()).hasSize(2).allSatisfy(t -> {
            assertThat(t.failed()).isTrue();
            assertThat(t.output()).contains("ServerStartException: " + t.params().get("server")
                    + " needs a Python 3 interpreter that can import")
                    .contains(PythonInterpreter.APT_GET_INSTALL);
        });
    }

    private static Map<String, Double> scores(WatchedJmhRun run) {
        Map<String, Double> scores = new TreeMap<>();
        for (RunResult r : run.results()) {
            scores.put(r.getParams().getParam("server"), r.getPrimaryResult().getScore());
        }
        return scores;
    }
}
