package io.wsbench.jmh;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import io.wsbench.jmh.WatchedJmhRun.Trial;
import io.wsbench.results.JmhResultFile;
import io.wsbench.server.EchoServer;
import io.wsbench.servers.NettyEchoServer;
import io.wsbench.server.ServerConfig;
import io.wsbench.testing.FaultyEcho;
import io.wsbench.testing.FaultyEcho.Fault;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Faults the harness must survive, each run through JMH's Runner as a user would (one fork, no {@code -foe}): the
 * faulty trial ends within a bound with an error naming the cause and the fix, and the healthy trials of the same
 * run keep their results, in what Runner returns and in the JSON file. The servers for {@code -p target} run in
 * this JVM; the benchmark runs in JMH's forked JVM. docs/faults.md quotes these runs.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class FaultToleranceTest {
    private static final String ROUND_TRIP = "io.wsbench.roundtrip.EchoRoundTripBenchmark.throughput";
    /** Generous for a loaded 2-core machine: a faulty trial needs a fork's start plus at most a 2 s timeout. */
    private static final Duration TRIAL_BOUND = Duration.ofSeconds(30);
    /** The message whose echo the faulty servers spoil: well inside the first iteration, however slow the machine. */
    private static final int FAULTY_MESSAGE = 10;

    /**
     * One fork, no warmup, short iterations, 2 s echo and connect timeouts, JSON to {@code dir/results.json}. No
     * parameters: JMH adds up the values of a parameter given twice, so each test gives all of its own.
     */
    private static ChainedOptionsBuilder shortTrials(Path dir, int iterations) {
        return new OptionsBuilder()
                .include(ROUND_TRIP)
                .forks(1)
                .warmupIterations(0)
                .measurementIterations(iterations)
                .measurementTime(TimeValue.milliseconds(300))
                .timeout(TimeValue.seconds(30))
                .shouldFailOnError(false)
                .jvmArgsPrepend("-Xms256m", "-Xmx256m")
                .jvmArgsAppend("-Dwsbench.echoTimeoutMillis=2000", "-Dwsbench.connectTimeoutMillis=2000")
                .resultFormat(ResultFormatType.JSON)
                .result(dir.resolve("results.json").toString());
    }

    @Test
    void eachFaultyTargetFailsOnlyItsOwnTrial(@TempDir Path dir) throws Exception {
        try (Servers servers = new Servers()) {
            URI healthy = servers.start(new NettyEchoServer(ServerConfig.defaults()));
            URI dropping = servers.start(FaultyEcho.server(Fault.DROP, FAULTY_MESSAGE, 0));
            URI corrupting = servers.start(FaultyEcho.server(Fault.CORRUPT, FAULTY_MESSAGE, 0));
            URI repeating = servers.start(FaultyEcho.server(Fault.STALE, FAULTY_MESSAGE, 0));
            URI closing = servers.start(FaultyEcho.server(Fault.CLOSE, FAULTY_MESSAGE, 0));
            AtomicBoolean stopNow = new AtomicBoolean();
            URI stopping = servers.start(stopsWhenTold(stopNow));
            URI wrongPath = healthy.resolve("/no-such-path");
            URI http = servers.startHttp();
            URI httpOk = http.resolve("/ok");
            URI httpForbidden = http.resolve("/forbidden");
            URI silent = servers.startSilent();
            int nothingListens = freePort();
            URI refusing = URI.create("ws://127.0.0.1:" + nothingListens + "/echo");
            List<URI> targets = List.of(healthy, dropping, corrupting, repeating, closing, stopping, wrongPath,
                    httpOk, httpForbidden, silent, refusing);

            WatchedJmhRun run = WatchedJmhRun.run(shortTrials(dir, 2)
                            .param("payloadBytes", "64")
                            .param("type", "binary")
                            .param("server", "netty@127.0.0.1")
                            .param("target", targets.stream().map(URI::toString).toArray(String[]::new))
                            .build(),
                    dir.resolve("jmh.log"),
                    (trial, iteration) -> {
                        // The server stops while the trial measures its 2nd iteration, after JMH recorded the 1st.
                        if (iteration == 1 && stopping.toString().equals(trial.getParam("target"))) {
                            stopNow.set(true);
                        }
                    });

            assertThat(run.failure()).isNull();
            assertThat(run.trials()).hasSize(targets.size())
                    .allSatisfy(t -> assertThat(t.duration()).as(t.params().get("target")).isLessThan(TRIAL_BOUND));

            Trial healthyTrial = run.trial("target", healthy.toString());
            assertThat(healthyTrial.failed()).as(healthyTrial.output()).isFalse();
            assertFailed(run, dropping, "EchoFailedException: no echo of message #" + FAULTY_MESSAGE + " from " + dropping
                    + " within 2000 ms: the server stalled or dropped it");
            assertFailed(run, corrupting, "EchoFailedException: corrupted echo of message #" + FAULTY_MESSAGE + ": byte 63 is");
            assertFailed(run, repeating, "EchoFailedException: echoes out of order: expected message #" + FAULTY_MESSAGE
                    + ", got #" + (FAULTY_MESSAGE - 1) + ", which was already echoed: a stale or duplicated echo");
            assertFailed(run, closing, "EchoFailedException: server " + closing
                    + " closed the connection (code 1011 'test fault') with 1 messages in flight");
            assertFailed(run, stopping, "EchoFailedException: server " + stopping
                    + " closed the connection with 1 messages in flight; did it crash or reject the messages?");
            assertThat(run.trial("target", stopping.toString()).output())
                    .containsPattern("Iteration   1: [0-9.,]+ ops/s")
                    .contains("Iteration   2: <failure>");
            assertFailed(run, wrongPath, "EchoFailedException: WebSocket handshake with " + wrongPath + " refused: the server"
                    + " answered 404 Not Found instead of 101 Switching Protocols; nothing at that path: check the path in"
                    + " the target URI");
            assertFailed(run, httpOk, "EchoFailedException: WebSocket handshake with " + httpOk + " refused: the server"
                    + " answered 200 OK instead of 101 Switching Protocols; is it a WebSocket endpoint?");
            assertFailed(run, httpForbidden, "EchoFailedException: WebSocket handshake with " + httpForbidden + " refused:"
                    + " the server answered 403 Forbidden instead of 101 Switching Protocols; the server refused the upgrade");
            assertFailed(run, silent, "EchoFailedException: no WebSocket handshake answer from " + silent
                    + " in time: is it a WebSocket server, and is the path right?");
            assertFailed(run, refusing, "EchoFailedException: could not connect to 127.0.0.1:" + nothingListens);
            assertThat(run.trial("target", refusing.toString()).output()).contains("is the server running and listening there?");

            // JMH keeps a trial that failed after measuring an iteration, with that iteration only: the JSON tells it
            // apart from a complete one. Trials that failed before measuring anything have no result at all.
            Map<String, RunResult> results = byParam(run.results(), "target");
            assertThat(results).containsOnlyKeys(healthy.toString(), stopping.toString());
            assertThat(results.get(healthy.toString()).getPrimaryResult().getScore()).isPositive();
            Map<String, JmhResultFile.Result> json = JmhResultFile.read(dir.resolve("results.json")).results().stream()
                    .collect(Collectors.toMap(r -> r.params().get("target"), Function.identity()));
            assertThat(json).containsOnlyKeys(healthy.toString(), stopping.toString());
            assertThat(json.get(healthy.toString()).primaryMetric().score()).isPositive();
            assertThat(json.get(healthy.toString()).complete()).isTrue();
            assertThat(json.get(stopping.toString()).recordedIterations()).isEqualTo(1);
            assertThat(json.get(stopping.toString()).plannedIterations()).isEqualTo(2);
            assertThat(json.get(stopping.toString()).complete()).isFalse();

            // What scripts/bench prints after the run: one line per failed trial, naming its target and cause.
            List<String> summary = failedTrialsSummary(dir.resolve("jmh.log"));
            assertThat(summary).hasSize(targets.size() - 1);
            assertThat(summary).noneMatch(line -> line.contains("target = " + healthy + ","));
            assertThat(summary).anyMatch(line -> line.contains("target = " + dropping + ",")
                    && line.contains("Fork: 1 of 1: io.wsbench.client.EchoFailedException: no echo of message #" + FAULTY_MESSAGE));
        }
    }

    @Test
    void aTakenFixedPortFailsTheTrialsThatAskForItAndAFreeOneServesTrialAfterTrial(@TempDir Path dir) throws Exception {
        int free = freePort();
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            String takenPort = String.valueOf(taken.getLocalPort());
            List<String> servers = List.of("netty", "jetty", "tyrus", "rawtcp");
            WatchedJmhRun run = WatchedJmhRun.run(shortTrials(dir, 1)
                    .param("payloadBytes", "64")
                    .param("type", "binary")
                    .param("server", servers.toArray(String[]::new))
                    .param("port", String.valueOf(free), takenPort)
                    .build(), dir.resolve("jmh.log"));

            assertThat(run.trials()).hasSize(8)
                    .allSatisfy(t -> assertThat(t.duration()).as(t.params().toString()).isLessThan(TRIAL_BOUND));
            for (String server : servers) {
                Trial refused = run.trial("server", server, "port", takenPort);
                assertThat(refused.failed()).isTrue();
                assertThat(refused.output()).contains("ServerStartException: " + server + " could not bind 127.0.0.1:"
                        + takenPort + ": port " + takenPort + " is already in use; stop whatever listens there, pick"
                        + " another port, or use port 0 for an ephemeral one");
                Trial fixed = run.trial("server", server, "port", String.valueOf(free));
                assertThat(fixed.failed()).as(fixed.output()).isFalse();
            }
            assertThat(JmhResultFile.read(dir.resolve("results.json")).results())
                    .hasSize(servers.size())
                    .allSatisfy(r -> {
                        assertThat(r.params()).containsEntry("port", String.valueOf(free));
                        assertThat(r.primaryMetric().score()).isPositive();
                        assertThat(r.complete()).isTrue();
                    });
        }
    }

    @Test
    void wrongParametersFailTheirTrialAtOnceBeforeAnyServerStarts(@TempDir Path dir) throws Exception {
        WatchedJmhRun run = WatchedJmhRun.run(shortTrials(dir, 1)
                .param("server", "netty", "nosuchserver")
                .param("payloadBytes", "64", "2000000")
                .param("type", "binary")
                .build(), dir.resolve("jmh.log"));

        assertThat(run.trials()).hasSize(4)
                .allSatisfy(t -> assertThat(t.duration()).as(t.params().toString()).isLessThan(TRIAL_BOUND));
        assertThat(run.trial("server", "netty", "payloadBytes", "64").failed()).isFalse();
        String unknownServer = "java.lang.IllegalArgumentException: unknown server 'nosuchserver': valid servers are "
                + String.join(", ", io.wsbench.servers.EchoServers.names());
        String tooLarge = "java.lang.IllegalArgumentException: payloadBytes=2000000 is above the maximum message size of"
                + " 1048576 bytes that the client and the embedded servers accept; use payloadBytes <= 1048576";
        assertThat(run.trial("server", "nosuchserver", "payloadBytes", "64").output()).contains(unknownServer);
        assertThat(run.trial("server", "netty", "payloadBytes", "2000000").output()).contains(tooLarge);
        // Checked before the server name is even looked up, so before anything could start.
        assertThat(run.trial("server", "nosuchserver", "payloadBytes", "2000000").output()).contains(tooLarge);
        assertThat(JmhResultFile.read(dir.resolve("results.json")).results()).singleElement().satisfies(r -> {
            assertThat(r.params()).containsEntry("server", "netty").containsEntry("payloadBytes", "64");
            assertThat(r.primaryMetric().score()).isPositive();
        });
    }

    static Stream<Arguments> wrongValues() {
        return Stream.of(
                Arguments.of(Map.of("server", "netty", "payloadBytes", "64", "type", "json"),
                        "java.lang.IllegalArgumentException: unknown message type 'json': use text or binary (e.g. -p type=text)"),
                Arguments.of(Map.of("server", "netty", "payloadBytes", "64", "type", "binary", "transport", "io_uring"),
                        "java.lang.IllegalArgumentException: unknown transport 'io_uring': use auto, epoll or nio"),
                Arguments.of(Map.of("server", "netty@edge", "payloadBytes", "64", "type", "binary",
                                "target", "http://edge:8080/echo"),
                        "java.lang.IllegalArgumentException: target 'http://edge:8080/echo' is not a server address (the"
                                + " scheme must be ws, wss or tcp): use ws://HOST:PORT/PATH, wss://HOST:PORT/PATH, or"
                                + " tcp://HOST:PORT for a raw-TCP echo"));
    }

    @ParameterizedTest
    @MethodSource("wrongValues")
    void aWrongValueFailsItsTrialAtOnceListingTheValidOnes(Map<String, String> params, String message, @TempDir Path dir)
            throws Exception {
        ChainedOptionsBuilder options = shortTrials(dir, 1);
        params.forEach(options::param);
        WatchedJmhRun run = WatchedJmhRun.run(options.build(), dir.resolve("jmh.log"));

        assertThat(run.trials()).singleElement().satisfies(t -> {
            assertThat(t.duration()).isLessThan(TRIAL_BOUND);
            assertThat(t.output()).contains("Iteration   1: <failure>").contains(message);
        });
        assertThat(run.results()).isEmpty();
    }

    @Test
    void jmhIterationTimeoutEndsAStalledRoundTripOnlyWithoutSynchronizedIterations(@TempDir Path dir) throws Exception {
        try (Servers servers = new Servers()) {
            URI dropping = servers.start(FaultyEcho.server(Fault.DROP, 0, 0));
            Function<Duration, ChainedOptionsBuilder> stalledWithEchoTimeout = echoTimeout -> shortTrials(dir, 1)
                    .param("payloadBytes", "64")
                    .param("type", "binary")
                    .param("server", "netty@127.0.0.1")
                    .param("target", dropping.toString())
                    // Long enough that a busy machine finishes connecting before JMH interrupts (at 1 s it once did not,
                    // and the interrupt hit the handshake), far below the 60 s echo timeout it must beat.
                    .timeout(TimeValue.seconds(5))
                    .jvmArgsAppend("-Dwsbench.echoTimeoutMillis=" + echoTimeout.toMillis());

            // By default JMH synchronizes iterations: it waits, without a timeout, for every thread to finish the
            // measured part before it looks at -to, so the harness's echo timeout is what ends the trial.
            Trial synchronizedIterations = WatchedJmhRun.run(stalledWithEchoTimeout.apply(Duration.ofSeconds(4)).build(),
                    dir.resolve("jmh.log")).trial("target", dropping.toString());
            assertThat(synchronizedIterations.output())
                    .contains("EchoFailedException: no echo of message #0 from " + dropping + " within 4000 ms")
                    .doesNotContain("interrupted");

            Duration longEchoTimeout = Duration.ofSeconds(60);
            Trial unsynchronized = WatchedJmhRun.run(stalledWithEchoTimeout.apply(longEchoTimeout).syncIterations(false).build(),
                    dir.resolve("jmh-si-false.log")).trial("target", dropping.toString());
            assertThat(unsynchronized.duration()).isLessThan(longEchoTimeout);
            assertThat(unsynchronized.output())
                    // JMH interrupts again while a busy machine has not yet run the benchmark thread: once or more.
                    .containsPattern("\\(benchmark timed out, interrupted [1-9][0-9]* times\\)")
                    .contains("EchoFailedException: interrupted after waiting")
                    .contains("ms for the echo of message #0 from " + dropping + " (echo timeout 60000 ms): JMH interrupts"
                            + " a benchmark that runs past its iteration timeout (-to)");
        }
    }

    @Test
    void failOnErrorStopsTheRunAtTheFirstFailureAndWritesNoResults(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("results.json");
        WatchedJmhRun run = WatchedJmhRun.run(shortTrials(dir, 1)
                .param("payloadBytes", "64")
                .param("type", "binary")
                .param("server", "nosuchserver", "netty")
                .shouldFailOnError(true)
                .build(), dir.resolve("jmh.log"));

        assertThat(run.failure()).isNotNull();
        // netty never ran, and JMH left the JSON file it had created empty.
        assertThat(run.trials()).singleElement().satisfies(t -> {
            assertThat(t.params()).containsEntry("server", "nosuchserver");
            assertThat(t.output()).contains("unknown server 'nosuchserver'")
                    .contains("Benchmark had encountered error, and fail on error was requested");
        });
        assertThat(json).exists().isEmptyFile();
    }

    private static void assertFailed(WatchedJmhRun run, URI target, String message) {
        Trial trial = run.trial("target", target.toString());
        assertThat(trial.failed()).as("trial of %s failed", target).isTrue();
        assertThat(trial.output()).contains(message);
    }

    private static Map<String, RunResult> byParam(Collection<RunResult> results, String param) {
        return results.stream().collect(Collectors.toMap(r -> r.getParams().getParam(param), Function.identity()));
    }

    /** scripts/lib.sh's failed_trials on a JMH log: what scripts/bench prints when trials failed. */
    private static List<String> failedTrialsSummary(Path log) throws IOException, InterruptedException {
        Process bash = new ProcessBuilder("bash", "-c", "source \"$0\" && failed_trials \"$1\"",
                Path.of("scripts/lib.sh").toAbsolutePath().toString(), log.toString())
                .redirectErrorStream(true)
                .start();
        if (!bash.waitFor(30, TimeUnit.SECONDS)) {
            bash.destroyForcibly();
            throw new IllegalStateException("failed_trials did not finish within 30 s");
        }
        String out = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(bash.exitValue()).as(out).isZero();
        return out.lines().toList();
    }

    private static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }

    /**
     * A Netty echo server that echoes until {@code stopNow} is set, then takes the next message without echoing it
     * and stops the whole server from another thread, as an operator or a crash would, mid-iteration.
     */
    private static NettyEchoServer stopsWhenTold(AtomicBoolean stopNow) {
        AtomicReference<NettyEchoServer> self = new AtomicReference<>();
        AtomicBoolean stopping = new AtomicBoolean();
        NettyEchoServer server = NettyEchoServer.withEchoHandler(ServerConfig.defaults(), () -> new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                if (!(msg instanceof WebSocketFrame)) {
                    ctx.fireChannelRead(msg);
                } else if (!stopNow.get()) {
                    ctx.writeAndFlush(msg);
                } else {
                    ReferenceCountUtil.release(msg);
                    if (stopping.compareAndSet(false, true)) {
                        // close() waits for the event loops to end, so it cannot run on one of them.
                        Thread stopper = new Thread(() -> self.get().close(), "stop-mid-iteration");
                        stopper.setDaemon(true);
                        stopper.start();
                    }
                }
            }
        });
        self.set(server);
        return server;
    }

    /** Servers this test starts in its own JVM, closed in reverse order of starting, each even if another fails. */
    private static final class Servers implements AutoCloseable {
        private final Deque<AutoCloseable> started = new ArrayDeque<>();

        URI start(EchoServer server) {
            URI uri = server.start();
            started.push(server);
            return uri;
        }

        /** Plain HTTP: {@code /ok} answers 200 with a page, {@code /forbidden} 403; returns {@code ws://} to its root. */
        URI startHttp() throws IOException {
            HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            http.createContext("/ok", exchange -> {
                byte[] page = "<html>not a WebSocket server</html>".getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, page.length);
                exchange.getResponseBody().write(page);
                exchange.close();
            });
            http.createContext("/forbidden", exchange -> {
                exchange.sendResponseHeaders(403, -1);
                exchange.close();
            });
            http.start();
            started.push(() -> http.stop(0));
            return URI.create("ws://127.0.0.1:" + http.getAddress().getPort() + "/");
        }

        /** A port whose listen backlog completes the TCP handshake and then nothing ever answers. */
        URI startSilent() throws IOException {
            ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            started.push(silent);
            return URI.create("ws://127.0.0.1:" + silent.getLocalPort() + "/echo");
        }

        @Override
        public void close() throws Exception {
            Exception failure = null;
            while (!started.isEmpty()) {
                try {
                    started.pop().close();
                } catch (Exception e) {
                    if (failure == null) {
                        failure = e;
                    } else {
                        failure.addSuppressed(e);
                    }
                }
            }
            if (failure != null) {
                throw failure;
            }
        }
    }
}
