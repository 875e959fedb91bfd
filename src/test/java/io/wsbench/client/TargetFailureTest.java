package io.wsbench.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.wsbench.client.EchoFailedException.Kind;
import io.wsbench.server.EchoServer;
import io.wsbench.servers.NettyEchoServer;
import io.wsbench.server.ServerTls;
import io.wsbench.server.ServerConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.ThrowableAssertAlternative;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A target that cannot be benchmarked fails the connect at once (within the connect timeout), with
 * an error that names the target, the cause and the fix, instead of hanging or measuring nothing.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TargetFailureTest {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(1);

    private EchoClient client;
    private EchoServer echoServer;
    private HttpServer httpServer;
    private ServerSocket silentServer;

    @BeforeEach
    void startClient() {
        client = new EchoClient(ClientConfig.defaults().withConnectTimeout(CONNECT_TIMEOUT));
    }

    @AfterEach
    void stopAll() throws IOException {
        client.close();
        if (echoServer != null) {
            echoServer.close();
        }
        if (httpServer != null) {
            httpServer.stop(0);
        }
        if (silentServer != null) {
            silentServer.close();
        }
    }

    /** Plain HTTP on loopback: /echo answers 403 to everything, any other path 404 (the JDK server's default). */
    private URI startHttpServer() throws IOException {
        httpServer = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        httpServer.createContext("/echo", exchange -> {
            exchange.sendResponseHeaders(403, -1);
            exchange.close();
        });
        httpServer.start();
        return URI.create("ws://127.0.0.1:" + httpServer.getAddress().getPort() + "/echo");
    }

    /** A loopback port whose listen backlog completes the TCP handshake, then nothing ever answers. */
    private int startSilentServer() throws IOException {
        silentServer = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        return silentServer.getLocalPort();
    }

    private ThrowableAssertAlternative<EchoFailedException> failsFast(URI target, Kind kind) {
        long start = System.nanoTime();
        ThrowableAssertAlternative<EchoFailedException> failure =
                org.assertj.core.api.Assertions.assertThatExceptionOfType(EchoFailedException.class)
                        .isThrownBy(() -> client.connect(target, MessageType.TEXT, 64))
                        .satisfies(e -> assertThat(e.kind()).isEqualTo(kind))
                        .withMessageContaining(target.toString());
        // Bounded by the connect timeout, not by the test's own timeout: the client gave up by itself.
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(CONNECT_TIMEOUT.multipliedBy(5));
        return failure;
    }

    @Test
    void refusedUpgradeSaysWhatTheServerAnswered() throws IOException {
        URI target = startHttpServer();
        failsFast(target, Kind.HANDSHAKE)
                .withMessageContaining("answered 403 Forbidden instead of 101 Switching Protocols")
                .withMessageContaining("refused the upgrade");
    }

    @Test
    void wrongPathSaysNothingIsThere() throws IOException {
        URI target = startHttpServer().resolve("/no-such-path");
        failsFast(target, Kind.HANDSHAKE)
                .withMessageContaining("answered 404 Not Found")
                .withMessageContaining("check the path");
    }

    @Test
    void hostThatAcceptsButNeverAnswersTimesOutTheHandshake() throws IOException {
        URI target = URI.create("ws://127.0.0.1:" + startSilentServer() + "/echo");
        failsFast(target, Kind.HANDSHAKE).withMessageContaining("no WebSocket handshake answer");
    }

    @Test
    void tlsHostThatAcceptsButNeverAnswersTimesOutTheTlsHandshake() throws IOException {
        URI target = URI.create("wss://127.0.0.1:" + startSilentServer() + "/echo");
        failsFast(target, Kind.TLS).withMessageContaining("no TLS handshake answer");
    }

    @Test
    void selfSignedCertificateIsNotTrustedByDefault() {
        echoServer = new NettyEchoServer(ServerConfig.defaults().withTls(ServerTls.JDK));
        URI target = echoServer.start();
        assertThat(target.getScheme()).isEqualTo("wss");
        failsFast(target, Kind.TLS)
                .withMessageContaining("certificate not trusted")
                .withMessageContaining("add -p trustAllCertificates=true for a self-signed test server");
    }

    @Test
    void wssToAPlainServerSaysItOffersNoTls() {
        echoServer = new NettyEchoServer(ServerConfig.defaults());
        URI plain = echoServer.start();
        URI target = URI.create("wss://" + plain.getHost() + ":" + plain.getPort() + plain.getPath());
        failsFast(target, Kind.TLS).withMessageContaining("use ws:// for a server without TLS");
    }

    @Test
    void wssSchemeIsAcceptedAndOtherSchemesAreNot() {
        assertThatThrownBy(() -> client.connect(URI.create("https://127.0.0.1:1/echo"), MessageType.TEXT, 64))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("wss://HOST:PORT/PATH");
    }
}
