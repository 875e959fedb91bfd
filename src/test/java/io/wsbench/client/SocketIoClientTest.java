package io.wsbench.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wsbench.client.EchoFailedException.Kind;
import io.wsbench.servers.NettyEchoServer;
import io.wsbench.server.ServerConfig;
import io.wsbench.testing.SocketIoEcho;
import io.wsbench.testing.SocketIoEcho.Fault;
import io.wsbench.wire.EchoProtocol;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The Socket.IO client against a test Socket.IO server: every response verified like an echo (payload, order, none
 * lost) after the JSON layer is taken off, pings answered, and every way the session can go wrong caught and named.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SocketIoClientTest {
    private static final int FAULTY = 50;

    private EchoClient client;
    private SocketIoEcho server;

    @AfterEach
    void stopAll() {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private URI start(Fault fault, int n) {
        server = new SocketIoEcho(fault, n);
        URI uri = server.start();
        client = new EchoClient(ClientConfig.defaults().withProtocol(EchoProtocol.SOCKETIO).withEchoPrefix(SocketIoEcho.PREFIX)
                .withEchoTimeout(Duration.ofSeconds(2)).withConnectTimeout(Duration.ofSeconds(2)));
        return uri;
    }

    @Test
    void responsesAreVerifiedThroughTheJsonEscapes() {
        // 1024-byte messages: many two-byte characters, each escaped as backslash-u00XX by the server.
        URI uri = start(Fault.NONE, 0);
        EchoConnection connection = client.connect(uri, MessageType.TEXT, 1024);
        for (int i = 0; i < 200; i++) {
            connection.roundTrip();
        }
        assertThat(connection.echoed()).isEqualTo(200);
        connection.close(Duration.ofSeconds(2));
    }

    @Test
    void manyConnectionsWithManyMessagesInFlightKeepOrderAndLoseNothing() {
        URI uri = start(Fault.NONE, 0);
        EchoLoad load = EchoLoad.open(client, uri, MessageType.TEXT, 64, 10, 10);
        load.startClosedLoop(8);
        awaitEchoes(load, 20_000);
        load.stop();
        load.throwIfFailed();
        assertThat(load.failure()).isNull();
        assertThat(load.echoed()).isGreaterThanOrEqualTo(20_000);
        load.close(Duration.ofSeconds(5));
    }

    @Test
    void serverPingsAreAnsweredWithPongs() {
        URI uri = start(Fault.PING, 10);
        EchoConnection connection = client.connect(uri, MessageType.TEXT, 64);
        for (int i = 0; i < 100; i++) {
            connection.roundTrip();
        }
        // Each ping goes out before a response, and its pong before the next message: all are in by now.
        assertThat(server.pings()).isEqualTo(10);
        assertThat(server.pongs()).isEqualTo(10);
        connection.close(Duration.ofSeconds(2));
    }

    @Test
    void aCorruptedResponseFailsNamingTheMessageAndTheByte() {
        URI uri = start(Fault.CORRUPT, FAULTY);
        EchoConnection connection = client.connect(uri, MessageType.TEXT, 64);
        for (int i = 0; i < FAULTY; i++) {
            connection.roundTrip();
        }
        assertThatThrownBy(connection::roundTrip)
                .isInstanceOfSatisfying(EchoFailedException.class, e -> assertThat(e.kind()).isEqualTo(Kind.CORRUPTED))
                .hasMessageContaining("corrupted echo of message #" + FAULTY + ": byte 63 is")
                .hasMessageContaining("(from " + uri + ")");
    }

    @Test
    void anotherEventInsteadOfTheResponseFails() {
        URI uri = start(Fault.OTHER_EVENT, 0);
        EchoConnection connection = client.connect(uri, MessageType.TEXT, 64);
        assertThatThrownBy(connection::roundTrip)
                .isInstanceOfSatisfying(EchoFailedException.class, e -> assertThat(e.kind()).isEqualTo(Kind.UNEXPECTED))
                .hasMessageContaining("Socket.IO event other than 'response': '42[\"other\",");
    }

    @Test
    void aRefusedNamespaceConnectFailsTheConnect() {
        URI uri = start(Fault.REFUSE, 0);
        assertThatThrownBy(() -> client.connect(uri, MessageType.TEXT, 64))
                .isInstanceOfSatisfying(EchoFailedException.class, e -> assertThat(e.kind()).isEqualTo(Kind.HANDSHAKE))
                .hasMessageContaining("the server refused the connect to the default namespace: '44{\"message\":\"not allowed\"}'");
    }

    @Test
    void aServerThatNeverOpensTheSessionFailsWithinTheConnectTimeout() {
        URI uri = start(Fault.SILENT, 0);
        assertThatThrownBy(() -> client.connect(uri, MessageType.TEXT, 64))
                .isInstanceOfSatisfying(EchoFailedException.class, e -> assertThat(e.kind()).isEqualTo(Kind.HANDSHAKE))
                .hasMessageContaining("no Engine.IO open packet within 2000 ms of the WebSocket handshake");
    }

    @Test
    void aPlainWebSocketEchoServerIsNoSocketIoServer() {
        NettyEchoServer plain = new NettyEchoServer(ServerConfig.defaults());
        try {
            URI plainUri = plain.start();
            start(Fault.NONE, 0);
            assertThatThrownBy(() -> client.connect(plainUri, MessageType.TEXT, 64))
                    .isInstanceOfSatisfying(EchoFailedException.class, e -> assertThat(e.kind()).isEqualTo(Kind.HANDSHAKE))
                    .hasMessageContaining("is it a Socket.IO server");
        } finally {
            plain.close();
        }
    }

    @Test
    void binaryMessagesAndRawTcpTargetsAreRefusedBeforeConnecting() {
        URI uri = start(Fault.NONE, 0);
        assertThatThrownBy(() -> client.connectAsync(uri, MessageType.BINARY, 64))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sends text events only");
        assertThatThrownBy(() -> client.connectAsync(URI.create("tcp://127.0.0.1:9"), MessageType.TEXT, 64))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("runs over WebSocket");
    }

    /** Waits until the load has echoed {@code count} messages or failed; a load that stalls for 30 s fails the test. */
    private static void awaitEchoes(EchoLoad load, long count) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (load.echoed() < count && load.failure() == null) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("only " + load.echoed() + " of " + count + " echoes within 30 s, and no failure");
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
    }
}
