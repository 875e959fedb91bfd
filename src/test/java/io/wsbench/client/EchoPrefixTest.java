package io.wsbench.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.wsbench.client.EchoFailedException.Kind;
import io.wsbench.server.EchoServer;
import io.wsbench.servers.NettyEchoServer;
import io.wsbench.server.ServerConfig;
import io.wsbench.testing.PrefixEcho;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Servers that put fixed text in front of every echo are verified byte for byte against prefix + message. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class EchoPrefixTest {
    private EchoClient client;
    private EchoServer server;

    @AfterEach
    void stopAll() {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private EchoConnection connect(EchoServer s, String echoPrefix, MessageType type, int size) {
        server = s;
        URI uri = s.start();
        client = new EchoClient(ClientConfig.defaults().withEchoPrefix(echoPrefix)
                .withEchoTimeout(Duration.ofSeconds(2)).withConnectTimeout(Duration.ofSeconds(2)));
        return client.connect(uri, type, size);
    }

    @ParameterizedTest
    @EnumSource(MessageType.class)
    void prefixedEchoesPassWhenThePrefixIsExpected(MessageType type) {
        EchoConnection c = connect(PrefixEcho.server("Écho: "), "Écho: ", type, 64);
        for (int i = 0; i < 10; i++) {
            c.roundTrip();
        }
        assertThat(c.echoed()).isEqualTo(10);
        assertThat(c.payload().echoSize()).isEqualTo("Écho: ".getBytes(StandardCharsets.UTF_8).length + 64);
    }

    @Test
    void prefixedEchoWithoutTheSettingFailsSuggestingIt() {
        EchoConnection c = connect(PrefixEcho.server("Echo: "), "", MessageType.TEXT, 64);
        assertThatThrownBy(c::roundTrip)
                .isInstanceOfSatisfying(EchoFailedException.class, e -> assertThat(e.kind()).isEqualTo(Kind.CORRUPTED))
                .hasMessageContaining("has 70 bytes, expected 64")
                .hasMessageContaining("set it as echoPrefix");
    }

    @Test
    void aDifferentPrefixFailsShowingWhatCameBack() {
        EchoConnection c = connect(PrefixEcho.server("Reply:"), "Echo: ", MessageType.TEXT, 64);
        assertThatThrownBy(c::roundTrip)
                .isInstanceOfSatisfying(EchoFailedException.class, e -> assertThat(e.kind()).isEqualTo(Kind.CORRUPTED))
                .hasMessageContaining("does not start with the echoPrefix 'Echo: ': it starts with 'Reply:'");
    }

    @Test
    void anExpectedPrefixThatNeverComesFailsNamingIt() {
        EchoConnection c = connect(new NettyEchoServer(ServerConfig.defaults()), "Echo: ", MessageType.BINARY, 64);
        assertThatThrownBy(c::roundTrip)
                .isInstanceOfSatisfying(EchoFailedException.class, e -> assertThat(e.kind()).isEqualTo(Kind.CORRUPTED))
                .hasMessageContaining("has 64 bytes, expected 70 (the 6-byte echoPrefix 'Echo: ' + 64)");
    }

    @Test
    void theMessageAfterTheExpectedPrefixIsStillVerified() {
        byte[] prefix = "Echo: ".getBytes(StandardCharsets.UTF_8);
        EchoPayload payload = EchoPayload.create(MessageType.BINARY, 64, 1, prefix);
        ByteBuf message = payload.encode(UnpooledByteBufAllocator.DEFAULT, 1, 0);
        ByteBuf echo = Unpooled.wrappedBuffer(Unpooled.wrappedBuffer(prefix), message);
        assertThat(payload.verify(echo, 1, 1)).isNull();
        message.setByte(63, message.getByte(63) ^ 0x01);
        assertThat(payload.verify(echo, 1, 1)).startsWith("corrupted echo of message #1: byte 63 is");
        echo.release();
    }
}
