package io.wsbench.harness;

import io.wsbench.server.ServerConfig;
import io.wsbench.testing.JavaProcess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wsbench.wire.EchoProtocol;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** An external target is taken as given (nothing starts), with a default port, and labelled by the server param. */
class RunningServerTest {

    @ParameterizedTest
    @CsvSource({
        "ws://example.test/echo,           ws://example.test:80/echo",
        "wss://example.test/chat?room=1,   wss://example.test:443/chat?room=1",
        "ws://10.213.0.1:8080,             ws://10.213.0.1:8080/",
        "' ws://[::1]:9000/echo ',         ws://[::1]:9000/echo",
        "tcp://127.0.0.1:7000,             tcp://127.0.0.1:7000"
    })
    void targetGetsAnExplicitPortAndPath(String target, String expected) {
        assertThat(RunningServer.parseTarget(target)).isEqualTo(URI.create(expected));
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1:80/echo", "127.0.0.1:8080", "ws:///echo", "tcp://127.0.0.1", "ws://bad host:1/"})
    void malformedTargetsAreRejectedWithTheFormsThatWork(String target) {
        assertThatThrownBy(() -> RunningServer.parseTarget(target))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("target '" + target + "' is not a server address")
                .hasMessageContaining("ws://HOST:PORT/PATH");
    }

    @Test
    void externalTargetStartsNothingAndCarriesTheLabel() {
        try (RunningServer sut = RunningServer.start("jetty@10.0.0.2", "ws://127.0.0.1:1/echo", ServerConfig.defaults())) {
            assertThat(sut.embedded()).isFalse();
            assertThat(sut.name()).isEqualTo("jetty@10.0.0.2");
            assertThat(sut.uri()).isEqualTo(URI.create("ws://127.0.0.1:1/echo"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"netty", "rawtcp"})
    void embeddedNamesAreRefusedAsLabelsSoADefaultListCannotRepeatOneTarget(String name) {
        assertThatThrownBy(() -> RunningServer.start(name, "ws://127.0.0.1:1/echo", ServerConfig.defaults()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("server=" + name + " with target ws://127.0.0.1:1/echo")
                .hasMessageContaining("must not be an embedded server's name")
                .hasMessageContaining("-p server=netty@127.0.0.1");
    }

    @Test
    void rawTcpLabelOnAWebSocketTargetIsRejected() {
        assertThatThrownBy(() -> RunningServer.start("rawtcp@h", "ws://127.0.0.1:1/echo", ServerConfig.defaults()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("labels starting with rawtcp are for tcp:// targets");
    }

    @Test
    void rawTcpTargetNeedsARawTcpLabel() {
        assertThatThrownBy(() -> RunningServer.start("netty@h", "tcp://127.0.0.1:1", ServerConfig.defaults()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-p server=rawtcp@127.0.0.1");
        try (RunningServer sut = RunningServer.start("rawtcp@h", "tcp://127.0.0.1:1", ServerConfig.defaults())) {
            assertThat(sut.name()).isEqualTo("rawtcp@h");
        }
    }

    @Test
    void blankTargetStartsTheEmbeddedServer() {
        try (RunningServer sut = RunningServer.start("netty", "", ServerConfig.defaults())) {
            assertThat(sut.embedded()).isTrue();
            assertThat(sut.uri().getScheme()).isEqualTo("ws");
            assertThat(sut.uri().getPort()).isPositive();
        }
    }

    @Test
    void anEmbeddedServersOwnPrefixIsExpectedWithoutAsking() {
        assertThat(RunningServer.echoPrefix("fastapi", "", "")).isEqualTo("Echo: ");
        assertThat(RunningServer.echoPrefix("fastapi", "", "Echo: ")).isEqualTo("Echo: ");
        assertThat(RunningServer.echoPrefix("netty", "", "")).isEmpty();
        assertThat(RunningServer.echoPrefix("x@h", "ws://127.0.0.1:1/ws", "Reply: ")).isEqualTo("Reply: ");
        assertThatThrownBy(() -> RunningServer.echoPrefix("fastapi", "", "Reply: "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not what the embedded server fastapi puts in front of its echoes ('Echo: '");
        assertThatThrownBy(() -> RunningServer.requireConsistent("netty", "", 0, "Echo: "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("the embedded server netty echoes messages unchanged");
    }

    @Test
    void anEmbeddedServerDecidesTheProtocolAndAMismatchFailsAtOnce() {
        assertThat(RunningServer.protocol("flask-socketio", "", "auto", "text")).isEqualTo(EchoProtocol.SOCKETIO);
        assertThat(RunningServer.protocol("flask-socketio", "", "socketio", "text")).isEqualTo(EchoProtocol.SOCKETIO);
        assertThat(RunningServer.protocol("fastapi", "", "auto", "text")).isEqualTo(EchoProtocol.WEBSOCKET);
        assertThat(RunningServer.protocol("node@h", "ws://127.0.0.1:1/ws", "auto", "text")).isEqualTo(EchoProtocol.WEBSOCKET);
        assertThatThrownBy(() -> RunningServer.protocol("flask-socketio", "", "websocket", "text"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("protocol=websocket, but the embedded server flask-socketio speaks socketio")
                .hasMessageContaining("drop -p protocol");
        assertThatThrownBy(() -> RunningServer.protocol("netty", "", "socketio", "text"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("protocol=socketio, but the embedded server netty speaks websocket, not Socket.IO");
        assertThatThrownBy(() -> RunningServer.protocol("fastapi", "", "websocket", "binary"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("server=fastapi echoes text messages only")
                .hasMessageContaining("use -p type=text");
        assertThatThrownBy(() -> RunningServer.protocol("flask-socketio", "", "auto", "binary"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("echoes text messages only");
        assertThatThrownBy(() -> RunningServer.protocol("netty", "", "mqtt", "text"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown protocol 'mqtt': use auto (the server's own), websocket or socketio");
    }

    @Test
    void aSocketIoTargetNeedsItsEngineIoQuery() {
        String good = "ws://127.0.0.1:5000/socket.io/?EIO=4&transport=websocket";
        assertThat(RunningServer.protocol("node@h", good, "socketio", "text")).isEqualTo(EchoProtocol.SOCKETIO);
        assertThatThrownBy(() -> RunningServer.protocol("node@h", "ws://127.0.0.1:5000/socket.io/", "socketio", "text"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("?EIO=4&transport=websocket")
                .hasMessageContaining("e.g. -p target=" + good);
        assertThatThrownBy(() -> RunningServer.protocol("node@h", good, "websocket", "text"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("looks like a Socket.IO endpoint")
                .hasMessageContaining("add -p protocol=socketio");
        assertThatThrownBy(() -> RunningServer.protocol("node@h", good, "socketio", "binary"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sends text events only");
        assertThatThrownBy(() -> RunningServer.protocol("rawtcp@h", "tcp://127.0.0.1:7000", "socketio", "text"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not over a tcp:// target");
    }

    @Test
    void aTargetOnThisHostIsFoundByItsListeningPortButThisJvmIsNot() throws Exception {
        try (ServerSocket here = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                RunningServer sut = RunningServer.start("x@h", "ws://127.0.0.1:" + here.getLocalPort() + "/", ServerConfig.defaults())) {
            assertThat(sut.serverPid()).as("a target served by this JVM is measured as this JVM").isEmpty();
        }
        Process listener = new ProcessBuilder("python3", "-c", "import socket,sys,time\n"
                + "s=socket.socket(); s.bind(('127.0.0.1',0)); s.listen(); print(s.getsockname()[1], flush=True); time.sleep(60)")
                .redirectErrorStream(true).start();
        try {
            String line = JavaProcess.firstLine(listener, 30);
            int port = Integer.parseInt(String.valueOf(line).trim());
            try (RunningServer sut = RunningServer.start("x@h", "ws://127.0.0.1:" + port + "/", ServerConfig.defaults())) {
                assertThat(sut.serverPid()).hasValue(listener.pid());
            }
        } finally {
            listener.destroyForcibly();
        }
    }
}
