package io.wsbench.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wsbench.client.EchoFailedException.Kind;
import io.wsbench.server.EchoServer;
import io.wsbench.servers.NettyEchoServer;
import io.wsbench.servers.RawTcpEchoServer;
import io.wsbench.server.ServerConfig;
import io.wsbench.testing.FaultyEcho;
import io.wsbench.testing.FaultyEcho.Fault;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The client verifies every echo and fails with a clear error, within its timeout, when one is wrong. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EchoClientTest {
    private static final Duration ECHO_TIMEOUT = Duration.ofMillis(500);

    private EchoClient client;
    private EchoServer server;

    @BeforeEach
    void startClient() {
        client = new EchoClient(ClientConfig.defaults().withEchoTimeout(ECHO_TIMEOUT).withConnectTimeout(Duration.ofSeconds(2)));
    }

    @AfterEach
    void stopAll() {
        client.close();
        if (server != null) {
            server.close();
        }
    }

    private URI start(EchoServer s) {
        server = s;
        return s.start();
    }

    @ParameterizedTest
    @EnumSource(MessageType.class)
    void verifiesEveryEchoFromWebSocketAndRawTcpServers(MessageType type) {
        for (EchoServer s : new EchoServer[] {new NettyEchoServer(ServerConfig.defaults()), new RawTcpEchoServer(ServerConfig.defaults())}) {
            URI uri = s.start();
            try {
                for (int size : new int[] {0, 7, 16, 125, 126, 65535, 65536}) {
                    EchoConnection c = client.connect(uri, type, size);
                    for (int i = 0; i < 20; i++) {
                        assertThat(c.roundTrip()).isPositive();
                    }
                    assertThat(c.echoed()).isEqualTo(20);
                    assertThat(c.failure()).isNull();
                    c.close(Duration.ofSeconds(2));
                }
            } finally {
                s.close();
            }
        }
    }

    @Test
    void corruptedEchoFailsNamingTheMessageAndByte() {
        EchoConnection c = client.connect(start(FaultyEcho.server(Fault.CORRUPT, 3, 0)), MessageType.BINARY, 64);
        roundTrips(c, 3);
        assertThatThrownBy(c::roundTrip)
                .isInstanceOfSatisfying(EchoFailedException.class, e -> assertThat(e.kind()).isEqualTo(Kind.CORRUPTED))
                .hasMessageContaining("corrupted echo of message #3: byte 63");
    }

    @Test
    void droppedEchoTimesOut() {
        EchoConnection c = client.connect(start(FaultyEcho.server(Fault.DROP, 2, 0)), MessageType.TEXT, 64);
        roundTrips(c, 2);
        long start = System.nanoTime();
        assertThatThrownBy(c::roundTrip)
                .isInstanceOfSatisfying(EchoFailedException.class, e -> assertThat(e.kind()).isEqualTo(Kind.TIMEOUT))
                .hasMessageContaining("no echo of message #2")
                .hasMessageContaining("within 500 ms");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void echoDelayedPastTheTimeoutFailsEvenIfItArrivesLater() {
        EchoConnection c = client.connect(start(FaultyEcho.server(Fault.DELAY, 0, 1500)), MessageType.BINARY, 1024);
        assertThatThrownBy(c::roundTrip)
                .isInstanceOfSatisfying(EchoFailedException.class, e -> assertThat(e.kind()).isEqualTo(Kind.TIMEOUT));
    }

    @Test
    void reorderedEchoesAreCaughtWithAsyncSends() throws InterruptedException {
        EchoConnection c = client.connect(start(FaultyEcho.server(Fault.REORDER, 1, 0)), MessageType.TEXT, 64);
        CountDownLatch failed = new CountDownLatch(1);
        c.listener(new EchoListener() {
            @Override
            public void onEcho(EchoConnection connection, long intended, long sent, long received) {
            }

            @Override
            public void onFailure(EchoConnection connection, EchoFailedException failure) {
                failed.countDown();
            }
        });
        for (int i = 0; i < 4; i++) {
            c.send(System.nanoTime());
        }
        assertThat(failed.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(c.failure().kind()).isEqualTo(Kind.OUT_OF_ORDER);
        assertThat(c.failure()).hasMessageContaining("expected message #1 next, got #2");
    }

    @ParameterizedTest
    @EnumSource(MessageType.class)
    void staleEchoInPingPongIsReportedAsOutOfOrder(MessageType type) {
        EchoConnection c = client.connect(start(FaultyEcho.server(Fault.STALE, 4, 0)), type, 64);
        roundTrips(c, 4);
        assertThatThrownBy(c::roundTrip)
                .isInstanceOfSatisfying(EchoFailedException.class, e -> assertThat(e.kind()).isEqualTo(Kind.OUT_OF_ORDER))
                .hasMessageContaining("expected message #4, got #3, which was already echoed");
    }

    @Test
    void interruptedRoundTripFailsAtOnceInsteadOfWaitingOutTheEchoTimeout() throws InterruptedException {
        EchoClient patient = new EchoClient(ClientConfig.defaults().withEchoTimeout(Duration.ofSeconds(30)));
        try {
            EchoConnection c = patient.connect(start(FaultyEcho.server(Fault.DROP, 0, 0)), MessageType.BINARY, 64);
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            Thread waiter = new Thread(() -> {
                try {
                    c.roundTrip();
                } catch (EchoFailedException e) {
                    thrown.set(e);
                }
            }, "round-trip-waiter");
            waiter.start();
            // Whether it lands before or during the wait for the echo, the interrupt ends the round trip.
            long interruptedAt = System.nanoTime();
            waiter.interrupt();
            waiter.join(TimeUnit.SECONDS.toMillis(10));
            assertThat(waiter.isAlive()).as("round trip still waiting 10 s after the interrupt").isFalse();
            assertThat(Duration.ofNanos(System.nanoTime() - interruptedAt)).isLessThan(Duration.ofSeconds(5));
            assertThat(thrown.get())
                    .isInstanceOfSatisfying(EchoFailedException.class, e -> assertThat(e.kind()).isEqualTo(Kind.TIMEOUT))
                    .hasMessageContaining("interrupted after waiting")
                    .hasMessageContaining("for the echo of message #0")
                    .hasMessageContaining("iteration timeout (-to)");
        } finally {
            patient.close();
        }
    }

    @Test
    void serverClosingMidRunFailsWithItsCloseCode() {
        EchoConnection c = client.connect(start(FaultyEcho.server(Fault.CLOSE, 5, 0)), MessageType.BINARY, 64);
        roundTrips(c, 5);
        assertThatThrownBy(c::roundTrip)
                .isInstanceOfSatisfying(EchoFailedException.class, e -> assertThat(e.kind()).isEqualTo(Kind.CONNECTION_CLOSED))
                .hasMessageContaining("closed the connection (code 1011 'test fault')");
    }

    @Test
    void serverStoppingMidRunFails() {
        EchoConnection c = client.connect(start(new NettyEchoServer(ServerConfig.defaults())), MessageType.TEXT, 64);
        roundTrips(c, 3);
        server.close();
        assertThatThrownBy(() -> roundTrips(c, 10))
                .isInstanceOfSatisfying(EchoFailedException.class, e -> assertThat(e.kind()).isEqualTo(Kind.CONNECTION_CLOSED));
    }

    @Test
    void refusedConnectionSaysNothingListens() throws Exception {
        int freePort;
        try (ServerSocket s = new ServerSocket(0)) {
            freePort = s.getLocalPort();
        }
        assertThatThrownBy(() -> client.connect(URI.create("ws://127.0.0.1:" + freePort + "/echo"), MessageType.TEXT, 64))
                .isInstanceOfSatisfying(EchoFailedException.class, e -> assertThat(e.kind()).isEqualTo(Kind.CONNECT))
                .hasMessageContaining("127.0.0.1:" + freePort)
                .hasMessageContaining("is the server running");
    }

    @Test
    void wrongPathFailsTheHandshakeNamingTheStatus() {
        URI uri = start(new NettyEchoServer(ServerConfig.defaults()));
        URI wrong = uri.resolve("/nothing-here");
        assertThatThrownBy(() -> client.connect(wrong, MessageType.TEXT, 64))
                .isInstanceOfSatisfying(EchoFailedException.class, e -> assertThat(e.kind()).isIn(Kind.HANDSHAKE, Kind.CONNECTION_CLOSED))
                .hasMessageContaining(wrong.toString());
    }

    @Test
    void aServerThatIsNotWebSocketFailsTheHandshakeFast() {
        URI raw = start(new RawTcpEchoServer(ServerConfig.defaults()));
        URI asWs = URI.create("ws://" + raw.getHost() + ":" + raw.getPort() + "/echo");
        long start = System.nanoTime();
        assertThatThrownBy(() -> client.connect(asWs, MessageType.TEXT, 64))
                .isInstanceOf(EchoFailedException.class)
                .hasMessageContaining(asWs.toString());
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void payloadAboveTheMessageLimitIsRejectedBeforeConnecting() {
        assertThatThrownBy(() -> client.connect(URI.create("ws://127.0.0.1:1/echo"), MessageType.BINARY, (1 << 20) + 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("payloadBytes=1048577 is above the maximum message size of 1048576 bytes");
    }

    @Test
    void unsupportedSchemeIsRejected() {
        assertThatThrownBy(() -> client.connect(URI.create("http://127.0.0.1:1/echo"), MessageType.BINARY, 64))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("use ws://HOST:PORT/PATH");
    }

    private static void roundTrips(EchoConnection c, int count) {
        for (int i = 0; i < count; i++) {
            c.roundTrip();
        }
    }
}
