package io.wsbench.servers;

import io.wsbench.server.ServerConfig;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** An external target is taken as given (nothing starts), with a default port, and labelled by the server param. */
class ServerUnderTestTest {

    @ParameterizedTest
    @CsvSource({
        "ws://example.test/echo,           ws://example.test:80/echo",
        "wss://example.test/chat?room=1,   wss://example.test:443/chat?room=1",
        "ws://10.213.0.1:8080,             ws://10.213.0.1:8080/",
        "' ws://[::1]:9000/echo ',         ws://[::1]:9000/echo",
        "tcp://127.0.0.1:7000,             tcp://127.0.0.1:7000"
    })
    void targetGetsAnExplicitPortAndPath(String target, String expected) {
        assertThat(ServerUnderTest.parseTarget(target)).isEqualTo(URI.create(expected));
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1:80/echo", "127.0.0.1:8080", "ws:///echo", "tcp://127.0.0.1", "ws://bad host:1/"})
    void malformedTargetsAreRejectedWithTheFormsThatWork(String target) {
        assertThatThrownBy(() -> ServerUnderTest.parseTarget(target))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("target '" + target + "' is not a server address")
                .hasMessageContaining("ws://HOST:PORT/PATH");
    }

    @Test
    void externalTargetStartsNothingAndCarriesTheLabel() {
        try (ServerUnderTest sut = ServerUnderTest.start("jetty@10.0.0.2", "ws://127.0.0.1:1/echo", ServerConfig.defaults())) {
            assertThat(sut.embedded()).isFalse();
            assertThat(sut.name()).isEqualTo("jetty@10.0.0.2");
            assertThat(sut.uri()).isEqualTo(URI.create("ws://127.0.0.1:1/echo"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"netty", "rawtcp"})
    void embeddedNamesAreRefusedAsLabelsSoADefaultListCannotRepeatOneTarget(String name) {
        assertThatThrownBy(() -> ServerUnderTest.start(name, "ws://127.0.0.1:1/echo", ServerConfig.defaults()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("server=" + name + " with target ws://127.0.0.1:1/echo")
                .hasMessageContaining("must not be an embedded server's name")
                .hasMessageContaining("-p server=netty@127.0.0.1");
    }

    @Test
    void rawTcpLabelOnAWebSocketTargetIsRejected() {
        assertThatThrownBy(() -> ServerUnderTest.start("rawtcp@h", "ws://127.0.0.1:1/echo", ServerConfig.defaults()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("labels starting with rawtcp are for tcp:// targets");
    }

    @Test
    void rawTcpTargetNeedsARawTcpLabel() {
        assertThatThrownBy(() -> ServerUnderTest.start("netty@h", "tcp://127.0.0.1:1", ServerConfig.defaults()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-p server=rawtcp@127.0.0.1");
        try (ServerUnderTest sut = ServerUnderTest.start("rawtcp@h", "tcp://127.0.0.1:1", ServerConfig.defaults())) {
            assertThat(sut.name()).isEqualTo("rawtcp@h");
        }
    }

    @Test
    void blankTargetStartsTheEmbeddedServer() {
        try (ServerUnderTest sut = ServerUnderTest.start("netty", "", ServerConfig.defaults())) {
            assertThat(sut.embedded()).isTrue();
            assertThat(sut.uri().getScheme()).isEqualTo("ws");
            assertThat(sut.uri().getPort()).isPositive();
        }
    }
}
