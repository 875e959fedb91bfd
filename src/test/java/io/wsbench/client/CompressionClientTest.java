package io.wsbench.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wsbench.server.ServerConfig;
import io.wsbench.servers.NettyEchoServer;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code compression=deflate} on the client: permessage-deflate offered, refused loudly when the server does not take
 * it, echoes verified through it; the wire counter shows what deflate saves on compressible content and not on random.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class CompressionClientTest {
    private static final int ROUND_TRIPS = 20;
    private static final int PAYLOAD_BYTES = 4096;

    @Test
    void failsAtTheHandshakeWhenTheServerDoesNotTakeDeflate() {
        try (NettyEchoServer server = new NettyEchoServer(ServerConfig.defaults());
             EchoClient client = new EchoClient(ClientConfig.defaults().withCompression(true))) {
            URI uri = server.start();
            assertThatThrownBy(() -> client.connect(uri, MessageType.TEXT, 64))
                    .isInstanceOf(EchoFailedException.class)
                    .hasMessageContaining("did not accept permessage-deflate")
                    .hasMessageContaining("-p compression=none");
        }
    }

    @Test
    void deflateShrinksJsonOnTheWireAndLeavesRandomBytesAsTheyAre() {
        long json = wireBytes(PayloadContent.JSON, MessageType.TEXT);
        long random = wireBytes(PayloadContent.RANDOM, MessageType.BINARY);
        long twoWays = 2L * ROUND_TRIPS * PAYLOAD_BYTES;
        assertThat(json).as("json, deflated, both ways").isLessThan(twoWays / 4);
        assertThat(random).as("random bytes, deflated, both ways").isGreaterThan(twoWays);
    }

    /** Bytes on the client's socket for the round trips, handshake excluded, every echo verified. */
    private static long wireBytes(PayloadContent content, MessageType type) {
        ClientConfig config = ClientConfig.defaults().withCompression(true).withPayloadContent(content);
        try (NettyEchoServer server = new NettyEchoServer(ServerConfig.defaults().withCompression(true));
             EchoClient client = new EchoClient(config)) {
            EchoConnection connection = client.connect(server.start(), type, PAYLOAD_BYTES);
            long before = client.wireBytes().total();
            for (int i = 0; i < ROUND_TRIPS; i++) {
                connection.roundTrip();
            }
            assertThat(connection.echoed()).isEqualTo(ROUND_TRIPS);
            long used = client.wireBytes().total() - before;
            connection.close(Duration.ofSeconds(2));
            return used;
        }
    }
}
