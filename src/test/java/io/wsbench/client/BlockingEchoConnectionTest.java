package io.wsbench.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wsbench.client.EchoFailedException.Kind;
import io.wsbench.server.EchoServer;
import io.wsbench.server.ServerTls;
import io.wsbench.server.ServerConfig;
import io.wsbench.servers.NettyEchoServer;
import io.wsbench.servers.SocketEchoServer;
import io.wsbench.testing.FaultyEcho;
import io.wsbench.testing.FaultyEcho.Fault;
import io.wsbench.testing.PrefixEcho;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The round trip's blocking client: the same verified echoes, errors and bounds as the Netty client, over ws://,
 * wss:// and tcp://, with the watchdog in place of a socket timeout. Behaviour only, never timings.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BlockingEchoConnectionTest {
    private static final ClientConfig CONFIG = ClientConfig.defaults();

    private static void echoesVerified(URI uri, ClientConfig config) {
        for (MessageType type : MessageType.values()) {
            // 0, a 7-bit, a 16-bit and a 64-bit payload length; 70000 is more than one TLS record.
            for (int size : new int[] {0, 64, 1024, 70_000}) {
                try (BlockingEchoConnection c = BlockingEchoConnection.open(uri, type, size, size, config)) {
                    for (int i = 0; i < 20; i++) {
                        assertThat(c.roundTrip()).isPositive();
                    }
                }
            }
        }
    }

    @Test
    void echoesOverWebSocketAndRawTcpAreVerified() {
        try (EchoServer netty = new NettyEchoServer(ServerConfig.defaults());
             EchoServer socket = new SocketEchoServer(ServerConfig.defaults())) {
            echoesVerified(netty.start(), CONFIG);
            echoesVerified(socket.start(), CONFIG);
        }
    }

    @Test
    void wssWithASelfSignedServerNeedsTrustAllAndSaysSo() {
        try (EchoServer server = new NettyEchoServer(ServerConfig.defaults().withTls(ServerTls.JDK))) {
            URI uri = server.start();
            echoesVerified(uri, CONFIG.withTrustAllCertificates(true));
            assertThatThrownBy(() -> BlockingEchoConnection.open(uri, MessageType.TEXT, 64, 1, CONFIG))
                    .isInstanceOf(EchoFailedException.class)
                    .hasMessageContaining("certificate not trusted")
                    .hasMessageContaining("-p trustAllCertificates=true");
        }
    }

    @Test
    void anEchoPrefixIsExpectedInFrontOfEveryEcho() {
        try (EchoServer server = PrefixEcho.server("Echo: ")) {
            URI uri = server.start();
            try (BlockingEchoConnection c = BlockingEchoConnection.open(uri, MessageType.TEXT, 64, 1,
                    CONFIG.withEchoPrefix("Echo: "))) {
                assertThat(c.roundTrip()).isPositive();
            }
            try (BlockingEchoConnection c = BlockingEchoConnection.open(uri, MessageType.TEXT, 64, 1, CONFIG)) {
                assertThatThrownBy(c::roundTrip).isInstanceOf(EchoFailedException.class)
                        .hasMessageContaining("set it as echoPrefix");
            }
        }
    }

    @Test
    void aCorruptedEchoFailsNamingTheMessageAndTheByte() {
        try (EchoServer server = FaultyEcho.server(Fault.CORRUPT, 3, 0);
             BlockingEchoConnection c = BlockingEchoConnection.open(server.start(), MessageType.BINARY, 64, 1, CONFIG)) {
            for (int i = 0; i < 3; i++) {
                c.roundTrip();
            }
            assertThatThrownBy(c::roundTrip).isInstanceOf(EchoFailedException.class)
                    .satisfies(e -> assertThat(((EchoFailedException) e).kind()).isEqualTo(Kind.CORRUPTED))
                    .hasMessageContaining("corrupted echo of message #3");
        }
    }

    @Test
    void aDroppedEchoTimesOutThroughTheWatchdog() {
        ClientConfig shortTimeout = CONFIG.withEchoTimeout(Duration.ofMillis(300));
        try (EchoServer server = FaultyEcho.server(Fault.DROP, 1, 0);
             BlockingEchoConnection c = BlockingEchoConnection.open(server.start(), MessageType.TEXT, 64, 1, shortTimeout)) {
            c.roundTrip();
            assertThatThrownBy(c::roundTrip).isInstanceOf(EchoFailedException.class)
                    .satisfies(e -> assertThat(((EchoFailedException) e).kind()).isEqualTo(Kind.TIMEOUT))
                    .hasMessageContaining("no echo of message #1")
                    .hasMessageContaining("within 300 ms");
        }
    }

    @Test
    void anInterruptEndsAWaitingRoundTrip() throws Exception {
        ClientConfig longTimeout = CONFIG.withEchoTimeout(Duration.ofSeconds(60));
        try (EchoServer server = FaultyEcho.server(Fault.DROP, 0, 0);
             BlockingEchoConnection c = BlockingEchoConnection.open(server.start(), MessageType.TEXT, 64, 1, longTimeout)) {
            CompletableFuture<Throwable> failure = new CompletableFuture<>();
            Thread waiting = new Thread(() -> {
                try {
                    c.roundTrip();
                    failure.complete(null);
                } catch (RuntimeException e) {
                    failure.complete(e);
                }
            }, "round-trip");
            waiting.start();
            // The interrupt may come before or during the read; either way the round trip must end, not wait 60 s.
            waiting.interrupt();
            assertThat(failure.get(30, TimeUnit.SECONDS)).isInstanceOf(EchoFailedException.class);
            waiting.join(TimeUnit.SECONDS.toMillis(10));
            assertThat(waiting.isAlive()).isFalse();
        }
    }

    @Test
    void aRefusedConnectionAndAWrongPathSayWhatToCheck() {
        try (EchoServer server = new NettyEchoServer(ServerConfig.defaults())) {
            URI uri = server.start();
            assertThatThrownBy(() -> BlockingEchoConnection.open(uri.resolve("/nowhere"), MessageType.TEXT, 64, 1, CONFIG))
                    .hasMessageContaining("answered 404 Not Found instead of 101 Switching Protocols")
                    .hasMessageContaining("check the path");
            server.close();
            assertThatThrownBy(() -> BlockingEchoConnection.open(uri, MessageType.TEXT, 64, 1, CONFIG))
                    .hasMessageContaining("could not connect to 127.0.0.1:" + uri.getPort())
                    .hasMessageContaining("is the server running");
        }
    }
}
