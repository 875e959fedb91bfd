package io.wsbench.servers;

import static org.assertj.core.api.Assertions.assertThat;

import io.wsbench.server.EchoServer;
import io.wsbench.server.ServerConfig;
import io.wsbench.server.ServerSettings;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The equal-resources rule of {@link ServerConfig#serverThreads()}, checked on each live WebSocket server: as many
 * I/O threads as asked, and no more workers than that; and the settings say what was read from the running server.
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
                assertThat(settings.get(ServerSettings.IO_THREADS)).as(settings.describe())
                        .isEqualTo(String.valueOf(expectedIoThreads(name, threads)));
                assertThat(Integer.parseInt(settings.get(ServerSettings.WORKER_THREADS))).as(settings.describe())
                        .isBetween(0, threads);
                assertThat(settings.get(ServerSettings.MAX_MESSAGE_BYTES)).as(settings.describe())
                        .isEqualTo(String.valueOf(ServerConfig.DEFAULT_MAX_MESSAGE_BYTES));
                assertThat(settings.get(ServerSettings.IDLE_TIMEOUT_MS)).as(settings.describe())
                        .isEqualTo(String.valueOf(ServerConfig.defaults().idleTimeout().toMillis()));
                assertThat(settings.get(ServerSettings.COMPRESSION)).as(settings.describe()).isEqualTo("false");
                assertThat(settings.values()).containsKeys(ServerSettings.TRANSPORT, ServerSettings.LIVE_THREADS);
            }
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
