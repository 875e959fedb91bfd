package io.wsbench.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.wsbench.servers.NettyEchoServer;
import io.wsbench.server.ServerTls;
import io.wsbench.server.ServerConfig;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The client speaks wss:// and verifies echoes through TLS as it does in the clear. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class WssClientTest {

    @Test
    void trustingAllCertificatesRoundTripsWithASelfSignedServer() {
        NettyEchoServer server = new NettyEchoServer(ServerConfig.defaults().withTls(ServerTls.JDK));
        try (EchoClient client = new EchoClient(ClientConfig.defaults().withTrustAllCertificates(true))) {
            URI uri = server.start();
            for (MessageType type : MessageType.values()) {
                // 70000 bytes: more than one TLS record, so the echo is reassembled from several.
                EchoConnection c = client.connect(uri, type, 70_000);
                for (int i = 0; i < 5; i++) {
                    assertThat(c.roundTrip()).isPositive();
                }
                assertThat(c.echoed()).isEqualTo(5);
                c.close(Duration.ofSeconds(2));
            }
        } finally {
            server.close();
        }
    }
}
