package io.wsbench.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wsbench.testing.JdkWebSocket;
import io.wsbench.client.ClientConfig;
import io.wsbench.client.EchoClient;
import io.wsbench.client.EchoConnection;
import io.wsbench.client.MessageType;
import io.wsbench.server.ServerConfig;
import io.wsbench.server.ServerSettings;
import io.wsbench.server.ServerStartException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code serverProcess=forked}: the embedded server class in a child JVM of its own, started, asked and stopped from
 * here. Behaviour only; every wait bounded (the child's start by the start timeout, its answers by {@link
 * ForkedJvmServer#ANSWER_TIMEOUT}, its stop by {@link ForkedJvmServer#STOP_GRACE}).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ForkedJvmServerTest {

    @Test
    void forkedNettyEchoesAndReportsTheChildsSettingsHeapAndPid() throws Exception {
        long pid;
        RunningServer sut = RunningServer.start("netty", "", ServerConfig.defaults(), ServerProcess.FORKED);
        try (sut) {
            assertThat(sut.forked()).isTrue();
            assertThat(sut.embedded()).isTrue();
            assertThat(sut.name()).isEqualTo("netty");
            pid = sut.serverPid().orElseThrow();
            assertThat(pid).isNotEqualTo(ProcessHandle.current().pid());
            assertThat(ProcessHandle.of(pid)).get().matches(ProcessHandle::isAlive, "alive");
            assertThat(Thread.getAllStackTraces().keySet()).noneMatch(sut::ownsThread);

            try (EchoClient client = new EchoClient(ClientConfig.defaults())) {
                EchoConnection c = client.connect(sut.uri(), MessageType.TEXT, 64);
                c.roundTrip();
                assertThat(c.echoed()).isEqualTo(1);
                c.close(Duration.ofSeconds(2));
            }

            ServerSettings settings = sut.settings();
            assertThat(settings.server()).isEqualTo("netty");
            assertThat(settings.get(ServerSettings.IO_THREADS)).isEqualTo("1");
            assertThat(settings.get(ServerSettings.TRANSPORT)).isNotBlank();
            assertThat(settings.get("serverProcess")).isEqualTo("forked");
            assertThat(settings.get("pid")).isEqualTo(String.valueOf(pid));
            assertThat(settings.get("serverJvmArgs")).as("the heap options of this JVM, or the default").contains("-Xmx");
            assertThat(sut.heapUsedAfterGcBytes()).isPositive();
        }
        assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).as("child JVM %d after close", pid).isEmpty();
        sut.close(); // a second close does nothing
    }

    @Test
    void forkedNettyServesTheBroadcastRoomAndOptionsReachTheChild() throws Exception {
        ThreadPoolExecutor executor = JdkWebSocket.clientExecutor("forked-broadcast-client");
        HttpClient http = HttpClient.newBuilder().executor(executor).connectTimeout(JdkWebSocket.WAIT).build();
        ServerConfig config = ServerConfig.defaults().withServerThreads(2).withCompression(true);
        try (ForkedJvmServer server = new ForkedJvmServer("netty", config)) {
            assertThat(server.broadcasts()).isTrue();
            URI room = server.start().resolve(ServerConfig.BROADCAST_PATH);
            try (JdkWebSocket a = JdkWebSocket.open(http, room); JdkWebSocket b = JdkWebSocket.open(http, room)) {
                // b's own message coming back shows the server has both in the room before a sends.
                b.await(b.socket.sendText("b joined", true));
                assertThat(b.nextText()).isEqualTo("b joined");
                a.await(a.socket.sendText("hello room", true));
                assertThat(a.nextText()).isIn("b joined", "hello room");
                assertThat(b.nextText()).isEqualTo("hello room");
            }
            ServerSettings settings = server.settings();
            assertThat(settings.get(ServerSettings.IO_THREADS)).isEqualTo("2");
            assertThat(settings.get(ServerSettings.COMPRESSION)).isEqualTo("true");
        } finally {
            executor.shutdownNow();
            assertThat(executor.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void aFloorCanBeForkedToo() throws Exception {
        try (RunningServer sut = RunningServer.start("rawtcp", null, ServerConfig.defaults(), ServerProcess.FORKED);
                EchoClient client = new EchoClient(ClientConfig.defaults())) {
            assertThat(sut.uri().getScheme()).isEqualTo("tcp");
            EchoConnection c = client.connect(sut.uri(), MessageType.BINARY, 64);
            c.roundTrip();
            c.close(Duration.ofSeconds(2));
            assertThat(sut.settings().server()).isEqualTo("rawtcp");
        }
    }

    @Test
    void aChildThatCannotBindFailsTheStartNamingThePort() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            ForkedJvmServer server = new ForkedJvmServer("netty", ServerConfig.defaults().withPort(taken.getLocalPort()));
            assertThatThrownBy(server::start)
                    .isInstanceOf(ServerStartException.class)
                    .hasMessageContaining("netty (forked JVM")
                    .hasMessageContaining("exited with code 1 during start-up")
                    .hasMessageContaining("port " + taken.getLocalPort() + " is already in use")
                    .hasMessageContaining("Last lines of its output");
            assertThat(server.serverPid()).isEmpty();
            server.close();
        }
    }

    @Test
    void aChildKilledWhileServingIsReportedAsSuch() throws Exception {
        ForkedJvmServer server = new ForkedJvmServer("rawtcp", ServerConfig.defaults());
        try {
            server.start();
            ProcessHandle child = ProcessHandle.of(server.serverPid().orElseThrow()).orElseThrow();
            child.destroyForcibly();
            assertThat(child.onExit()).succeedsWithin(Duration.ofSeconds(10));
            assertThatThrownBy(server::heapUsedAfterGcBytes)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("could not answer 'heap'")
                    .hasMessageContaining("exited with code 137");
        } finally {
            assertThatThrownBy(server::close).hasMessageContaining("exited with code 137, not the 0 of a clean stop");
        }
    }

    @Test
    void forkedIsRefusedForTargetsPythonServersAndConfigsServeMainCannotPass() {
        assertThatThrownBy(() -> RunningServer.start("netty@h", "ws://127.0.0.1:1/echo", ServerConfig.defaults(),
                ServerProcess.FORKED))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("nothing starts here")
                .hasMessageContaining("drop -p serverProcess");
        assertThatThrownBy(() -> RunningServer.start("fastapi", "", ServerConfig.defaults(), ServerProcess.FORKED))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("server=fastapi is a Python app that always runs as a child process");
        assertThatThrownBy(() -> new ForkedJvmServer("netty", ServerConfig.defaults().withPath("/chat")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("run this configuration embedded");
        assertThatThrownBy(() -> new ForkedJvmServer("nosuch", ServerConfig.defaults()))
                .hasMessageContaining("unknown server 'nosuch'");
    }

    @Test
    void serverProcessParsesItsTwoValues() {
        assertThat(ServerProcess.parse(" Forked ")).isEqualTo(ServerProcess.FORKED);
        assertThat(ServerProcess.parse("embedded")).isEqualTo(ServerProcess.EMBEDDED);
        assertThatThrownBy(() -> ServerProcess.parse("x")).hasMessageStartingWith("unknown serverProcess 'x': use embedded or forked");
    }
}
