package io.wsbench.servers;

import static io.wsbench.testing.JdkWebSocket.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.handler.ssl.OpenSsl;
import io.wsbench.testing.JdkWebSocket;
import io.wsbench.server.EchoServer;
import io.wsbench.server.SelfSignedTls;
import io.wsbench.server.ServerConfig;
import io.wsbench.testing.MachineRequirement;
import io.wsbench.server.ServerStartException;
import io.wsbench.server.ServerTls;
import java.net.URI;
import java.net.http.HttpClient;
import java.security.KeyStore;
import java.util.Arrays;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code -p tls=true} for every WebSocket server: {@code wss://} with the JVM's self-signed certificate, checked with
 * the JDK's client trusting exactly that certificate (and checking the host name it was issued to), the echo and the
 * broadcast room both behind TLS; BoringSSL for Netty, and a clear refusal of it from the others.
 */
class TlsContractTest {
    private static final int[] PAYLOAD_SIZES = {0, 64, 65536};

    private static ThreadPoolExecutor clientExecutor;
    private static HttpClient client;

    @BeforeAll
    static void startClient() throws Exception {
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("wsbench", SelfSignedTls.shared().certificate());
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, trust.getTrustManagers(), null);
        clientExecutor = JdkWebSocket.clientExecutor("tls-client");
        client = HttpClient.newBuilder().executor(clientExecutor).sslContext(tls).connectTimeout(WAIT).build();
    }

    @AfterAll
    static void stopClient() throws InterruptedException {
        clientExecutor.shutdownNow();
        assertThat(clientExecutor.awaitTermination(WAIT.toSeconds(), TimeUnit.SECONDS)).as("client threads ended").isTrue();
    }

    static Stream<Named<String>> servers() {
        return EchoServers.webSocketNames().stream().map(name -> Named.of(name, name));
    }

    /** The server's URI with the host name the certificate names, so the client's host name check passes. */
    private static URI asCertified(URI uri) {
        return URI.create(uri.toString().replace("//127.0.0.1:", "//" + SelfSignedTls.CERTIFICATE_HOST + ":"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("servers")
    void echoesAndBroadcastsOverTlsWithTheSelfSignedCertificate(String name) throws Exception {
        WebSocketEchoContractTest.assumeRunsHere(name);
        try (EchoServer server = EchoServers.create(name, ServerConfig.defaults().withTls(ServerTls.JDK))) {
            assertThat(server.servesTls()).isTrue();
            URI uri = server.start();
            assertThat(uri.getScheme()).isEqualTo("wss");
            try (JdkWebSocket connection = JdkWebSocket.open(client, asCertified(uri))) {
                for (int size : PAYLOAD_SIZES) {
                    byte[] payload = new byte[size];
                    Arrays.fill(payload, (byte) (size % 127));
                    assertThat(connection.echoBinary(payload)).as("%d-byte echo over TLS", size).isEqualTo(payload);
                }
                assertThat(connection.echoText("über TLS")).isEqualTo("über TLS");
            }
            try (JdkWebSocket member = JdkWebSocket.open(client, asCertified(BroadcastContractTest.room(uri)))) {
                member.await(member.socket.sendText("room over TLS", true));
                assertThat(member.nextText()).isEqualTo("room over TLS");
            }
            assertThat(server.settings().get(io.wsbench.server.ServerSettings.TLS)).isEqualTo("jdk");
        }
    }

    @Test
    void nettyServesTlsThroughBoringSsl() throws Exception {
        MachineRequirement.require(OpenSsl.isAvailable(), "BoringSSL (netty-tcnative-boringssl-static for this OS and CPU): "
                + OpenSsl.unavailabilityCause());
        try (EchoServer server = EchoServers.create("netty", ServerConfig.defaults().withTls(ServerTls.OPENSSL))) {
            URI uri = server.start();
            try (JdkWebSocket connection = JdkWebSocket.open(client, asCertified(uri))) {
                assertThat(connection.echoText("boringssl")).isEqualTo("boringssl");
            }
            assertThat(server.settings().get(io.wsbench.server.ServerSettings.TLS)).isEqualTo("openssl");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("servers")
    void serversOnTheJdksTlsRefuseBoringSslNamingTheFix(String name) {
        WebSocketEchoContractTest.assumeRunsHere(name);
        assumeTrue(!name.equals("netty"), "netty takes either");
        EchoServer server = EchoServers.create(name, ServerConfig.defaults().withTls(ServerTls.OPENSSL));
        try {
            assertThatThrownBy(server::start).isInstanceOf(ServerStartException.class)
                    .hasMessageContaining("tlsProvider=jdk");
        } finally {
            server.close();
        }
    }

    @Test
    void theFloorsAndThePythonServersServeNoTls() {
        for (String name : EchoServers.names()) {
            if (!EchoServers.webSocketNames().contains(name) && EchoServers.unavailableReason(name).isEmpty()) {
                assertThat(EchoServers.create(name, ServerConfig.defaults()).servesTls()).as(name).isFalse();
            }
        }
    }
}
