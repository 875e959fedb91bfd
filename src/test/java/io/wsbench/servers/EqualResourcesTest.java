package io.wsbench.servers;

import static org.assertj.core.api.Assertions.assertThat;

import io.wsbench.server.EchoServer;
import io.wsbench.server.ServerConfig;
import io.wsbench.server.ServerSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The equal-resources rule of {@link ServerConfig#serverThreads()}, checked on each live WebSocket server by {@link
 * #violations}: as many I/O threads as asked, read from the running server, and no more workers than that; and the
 * limits every server shares. The check is shown to fail on a server started against the rule.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class EqualResourcesTest {

    /**
     * Servers whose library has a fixed number of I/O threads whatever {@code serverThreads} says, asserted exactly so
     * that a change is noticed. Java-WebSocket 1.6 has one selector thread that accepts, reads and writes for every
     * connection; {@code serverThreads} sizes its decoders, the worker pool that runs the echo.
     */
    private static final Map<String, Integer> FIXED_IO_THREADS = Map.of("javawebsocket", 1);

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.wsbench.servers.EchoServers#webSocketNames")
    void everyServerRunsAsManyIoThreadsAsAskedAndNoMoreWorkers(String name) {
        WebSocketEchoContractTest.assumeRunsHere(name);
        for (int threads : new int[] {1, 2}) {
            try (EchoServer server = EchoServers.create(name, ServerConfig.defaults().withServerThreads(threads))) {
                server.start();
                ServerSettings settings = server.settings();
                assertThat(settings.server()).isEqualTo(name);
                assertThat(violations(settings, threads)).as(settings.describe()).isEmpty();
            }
        }
    }

    /** The check can fail: servers with a worker pool, started with 2 threads and held to the rule for 1. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"jetty", "tyrus"})
    void aServerStartedWithMoreWorkersThanTheRuleAllowsIsCaught(String name) {
        try (EchoServer server = EchoServers.create(name, ServerConfig.defaults().withServerThreads(2))) {
            server.start();
            assertThat(violations(server.settings(), 1)).containsExactly(
                    name + ": ioThreads=2, but serverThreads=1 wants exactly 1",
                    name + ": workerThreads=2, but serverThreads=1 wants 0 to 1");
        }
    }

    @Test
    void anIoThreadCountThatWasNotReadFromTheServerIsCaught() {
        ServerSettings settings = ServerSettings.of("netty").putConfigured(ServerSettings.IO_THREADS, 1)
                .put(ServerSettings.WORKER_THREADS, 0)
                .put(ServerSettings.MAX_MESSAGE_BYTES, ServerConfig.DEFAULT_MAX_MESSAGE_BYTES)
                .put(ServerSettings.IDLE_TIMEOUT_MS, ServerConfig.defaults().idleTimeout().toMillis())
                .put(ServerSettings.COMPRESSION, false)
                .put(ServerSettings.TRANSPORT, "EpollServerSocketChannel")
                .put(ServerSettings.LIVE_THREADS, 2)
                .build();
        assertThat(violations(settings, 1)).containsExactly("netty: ioThreads=1" + ServerSettings.CONFIGURED_MARK
                + ", but serverThreads=1 wants it read from the running server (I/O threads are what the rule sizes)");
    }

    /**
     * What in the live settings of a server started with {@code serverThreads} breaks the rule, one line per setting
     * naming the server, the setting as recorded and what the rule wants; empty when the rule holds.
     */
    static List<String> violations(ServerSettings settings, int serverThreads) {
        List<String> broken = new ArrayList<>();
        int ioThreads = expectedIoThreads(settings.server(), serverThreads);
        expect(broken, settings, serverThreads, ServerSettings.IO_THREADS,
                "it read from the running server (I/O threads are what the rule sizes)",
                value -> !settings.isConfigured(ServerSettings.IO_THREADS));
        expect(broken, settings, serverThreads, ServerSettings.IO_THREADS, "exactly " + ioThreads,
                String.valueOf(ioThreads)::equals);
        expect(broken, settings, serverThreads, ServerSettings.WORKER_THREADS, "0 to " + serverThreads,
                value -> value.matches("\\d+") && Integer.parseInt(value) <= serverThreads);
        expect(broken, settings, serverThreads, ServerSettings.MAX_MESSAGE_BYTES,
                ServerConfig.DEFAULT_MAX_MESSAGE_BYTES + ", every server's",
                String.valueOf(ServerConfig.DEFAULT_MAX_MESSAGE_BYTES)::equals);
        long idleTimeoutMs = ServerConfig.defaults().idleTimeout().toMillis();
        expect(broken, settings, serverThreads, ServerSettings.IDLE_TIMEOUT_MS, idleTimeoutMs + ", every server's",
                String.valueOf(idleTimeoutMs)::equals);
        expect(broken, settings, serverThreads, ServerSettings.COMPRESSION, "false, the default", "false"::equals);
        expect(broken, settings, serverThreads, ServerSettings.TRANSPORT, "it reported", value -> true);
        expect(broken, settings, serverThreads, ServerSettings.LIVE_THREADS, "it reported", value -> true);
        return broken;
    }

    /** Adds to {@code broken} when {@code key} is missing or its value, without the configured mark, fails {@code holds}. */
    private static void expect(List<String> broken, ServerSettings settings, int serverThreads, String key, String wants,
            Predicate<String> holds) {
        String value = settings.get(key);
        if (value == null || !holds.test(value)) {
            broken.add(settings.server() + ": " + key + "=" + settings.values().get(key) + ", but serverThreads="
                    + serverThreads + " wants " + wants);
        }
    }

    /**
     * {@code serverThreads}, but for a server that does its I/O on virtual threads (a documented deviation): the JVM's
     * carrier threads, {@code -Djdk.virtualThreadScheduler.parallelism} or one per core; and the fixed count of a
     * library listed in {@link #FIXED_IO_THREADS}.
     */
    private static int expectedIoThreads(String server, int serverThreads) {
        if (WebSocketEchoContractTest.deviations(server)
                .contains(WebSocketEchoContractTest.Deviation.IO_ON_VIRTUAL_THREAD_CARRIERS)) {
            String parallelism = System.getProperty("jdk.virtualThreadScheduler.parallelism");
            return parallelism == null ? Runtime.getRuntime().availableProcessors() : Integer.parseInt(parallelism);
        }
        return FIXED_IO_THREADS.getOrDefault(server, serverThreads);
    }
}
