package io.wsbench.servers;

import static org.assertj.core.api.Assertions.assertThat;

import io.wsbench.server.EchoServer;
import io.wsbench.server.ServerConfig;
import io.wsbench.server.ServerSettings;
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

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.wsbench.servers.EchoServers#webSocketNames")
    void everyServerRunsAsManyIoThreadsAsAskedAndNoMoreWorkers(String name) {
        for (int threads : new int[] {1, 2}) {
            try (EchoServer server = EchoServers.create(name, ServerConfig.defaults().withServerThreads(threads))) {
                server.start();
                ServerSettings settings = server.settings();
                assertThat(settings.server()).isEqualTo(name);
                assertThat(settings.get(ServerSettings.IO_THREADS)).as(settings.describe()).isEqualTo(String.valueOf(threads));
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
}
