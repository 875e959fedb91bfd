package io.wsbench.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The client's handshake and framing against a scripted one-connection server on loopback. */
class RawWebSocketConnectionTest {

    private static final Duration TIMEOUT = Duration.ofMillis(500);
    private static final Pattern KEY = Pattern.compile("Sec-WebSocket-Key: (\\S+)\r\n");

    /** A server socket that runs {@code script} on the first connection, in a daemon thread. */
    private static final class ScriptedServer implements AutoCloseable {
        interface Script {
            void run(Socket socket, String requestHead) throws Exception;
        }

        private final ServerSocket listener;
        private final CompletableFuture<Void> done = new CompletableFuture<>();

        ScriptedServer(Script script) throws IOException {
            listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
            Thread thread = new Thread(() -> {
                try (Socket socket = listener.accept()) {
                    socket.setSoTimeout(2_000);
                    script.run(socket, readHead(socket.getInputStream()));
                    done.complete(null);
                } catch (Exception e) {
                    done.completeExceptionally(e);
                }
            }, "scripted-server");
            thread.setDaemon(true);
            thread.start();
        }

        URI uri() {
            return URI.create("ws://127.0.0.1:" + listener.getLocalPort() + "/echo");
        }

        /** Fails the test if the script itself failed. */
        void awaitScript() throws Exception {
            done.get(5, TimeUnit.SECONDS);
        }

        @Override
        public void close() throws IOException {
            listener.close();
        }

        private static String readHead(InputStream in) throws IOException {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) {
                    throw new IOException("client closed mid-request after: " + head);
                }
                head.write(b);
            }
            return head.toString(StandardCharsets.ISO_8859_1);
        }
    }

    private static String keyOf(String requestHead) {
        Matcher matcher = KEY.matcher(requestHead);
        assertThat(matcher.find()).as("request has a Sec-WebSocket-Key: %s", requestHead).isTrue();
        return matcher.group(1);
    }

    private static void write(Socket socket, String text) throws IOException {
        socket.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
        socket.getOutputStream().flush();
    }

    @Test
    void computesTheAcceptValueOfRfc6455Section1_3() {
        assertThat(RawWebSocketConnection.acceptFor("dGhlIHNhbXBsZSBub25jZQ==")).isEqualTo("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
    }

    @Test
    void sendsAVersion13UpgradeAndReadsFramesThatFollowTheResponseInTheSamePacket() throws Exception {
        try (ScriptedServer server = new ScriptedServer((socket, head) -> {
            assertThat(head).startsWith("GET /echo HTTP/1.1\r\n").contains("Upgrade: websocket\r\n",
                    "Connection: Upgrade\r\n", "Sec-WebSocket-Version: 13\r\n");
            assertThat(java.util.Base64.getDecoder().decode(keyOf(head))).hasSize(16);
            byte[] frame = FrameCodec.encode(Frame.text("hi").withMasked(false), new byte[4]);
            write(socket, "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Accept: " + RawWebSocketConnection.acceptFor(keyOf(head)) + "\r\n\r\n"
                    + new String(frame, StandardCharsets.ISO_8859_1));
            Frame fromClient = FrameCodec.decode(socket.getInputStream(), 1024);
            assertThat(fromClient.masked()).isTrue();
            assertThat(fromClient.payload()).isEqualTo("back".getBytes(StandardCharsets.UTF_8));
        }); RawWebSocketConnection connection = RawWebSocketConnection.open(server.uri(), TIMEOUT)) {
            assertThat(connection.readFrame(TIMEOUT).describe()).isEqualTo("text fin len=2 \"hi\"");
            connection.send(Frame.text("back"));
            server.awaitScript();
        }
    }

    @Test
    void aNon101AnswerNamesTheStatusAndThePath() throws Exception {
        try (ScriptedServer server = new ScriptedServer((socket, head) ->
                write(socket, "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"))) {
            assertThatThrownBy(() -> RawWebSocketConnection.open(server.uri(), TIMEOUT))
                    .isInstanceOf(HandshakeException.class)
                    .hasMessageContaining("'HTTP/1.1 404 Not Found' instead of '101 Switching Protocols'")
                    .hasMessageContaining("mounted at path /echo");
            server.awaitScript();
        }
    }

    @Test
    void aWrongAcceptValueIsRefused() throws Exception {
        try (ScriptedServer server = new ScriptedServer((socket, head) ->
                write(socket, "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                        + "Sec-WebSocket-Accept: bm90IHRoZSByaWdodCB2YWx1ZQ==\r\n\r\n"))) {
            assertThatThrownBy(() -> RawWebSocketConnection.open(server.uri(), TIMEOUT))
                    .isInstanceOf(HandshakeException.class)
                    .hasMessageContaining("Sec-WebSocket-Accept 'bm90IHRoZSByaWdodCB2YWx1ZQ=='");
            server.awaitScript();
        }
    }

    @Test
    void aServerThatClosesDuringTheHandshakeIsReported() throws Exception {
        try (ScriptedServer server = new ScriptedServer((socket, head) -> write(socket, "HTTP/1.1 10"))) {
            assertThatThrownBy(() -> RawWebSocketConnection.open(server.uri(), TIMEOUT))
                    .isInstanceOf(HandshakeException.class)
                    .hasMessageContaining("closed the connection after 11 bytes");
            server.awaitScript();
        }
    }

    @Test
    void aSilentServerTimesOutInsteadOfHanging() throws Exception {
        CompletableFuture<Void> release = new CompletableFuture<>();
        try (ScriptedServer server = new ScriptedServer((socket, head) -> release.get(5, TimeUnit.SECONDS))) {
            // Were the read unbounded, it would end only when the script closes the socket: an EOF, not a timeout.
            assertThatThrownBy(() -> RawWebSocketConnection.open(server.uri(), TIMEOUT))
                    .isInstanceOf(SocketTimeoutException.class);
            release.complete(null);
            server.awaitScript();
        }
    }
}
