package io.wsbench.conformance;

import io.wsbench.wire.Frame;
import io.wsbench.wire.FrameCodec;
import io.wsbench.wire.Opcode;
import io.wsbench.wire.RawWebSocketConnection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The runner against a deliberately misbehaving server, to check the outcomes Jetty never produces:
 * a dropped connection, silence, acceptance of bad input, and a server that stops serving.
 */
class ConformanceSuiteTest {

    private static final Duration TIMEOUT = Duration.ofMillis(300);

    private MisbehavingServer server;

    @AfterEach
    void stopServer() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    /**
     * Echoes text and answers close, except for text messages that name a misbehaviour:
     * "drop" closes TCP, "ignore" does nothing, "die" stops the whole server.
     */
    private static final class MisbehavingServer implements AutoCloseable {
        private static final Pattern KEY = Pattern.compile("Sec-WebSocket-Key: (\\S+)\r\n");

        private final ServerSocket listener;
        private final boolean echoes;
        private final Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
        private final Queue<Socket> sockets = new ConcurrentLinkedQueue<>();

        MisbehavingServer(boolean echoes) throws IOException {
            this.echoes = echoes;
            listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread acceptor = new Thread(this::acceptLoop, "misbehaving-acceptor");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        URI uri() {
            return URI.create("ws://127.0.0.1:" + listener.getLocalPort() + "/echo");
        }

        private void acceptLoop() {
            while (!listener.isClosed()) {
                try {
                    Socket socket = listener.accept();
                    if (listener.isClosed()) {
                        // Closing a ServerSocket while accept() runs takes effect only when accept returns,
                        // so a connection can still arrive after "die": a dead server must not serve it.
                        socket.close();
                        continue;
                    }
                    sockets.add(socket);
                    Thread handler = new Thread(() -> serve(socket), "misbehaving-connection");
                    handler.setDaemon(true);
                    handler.start();
                } catch (IOException e) {
                    if (!listener.isClosed()) {
                        failures.add(e);
                    }
                }
            }
        }

        private void serve(Socket socket) {
            try (socket) {
                socket.setSoTimeout(5_000);
                InputStream in = socket.getInputStream();
                Matcher key = KEY.matcher(readHead(in));
                if (!key.find()) {
                    throw new IOException("request without Sec-WebSocket-Key");
                }
                send(socket, ("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                        + "Sec-WebSocket-Accept: " + RawWebSocketConnection.acceptFor(key.group(1)) + "\r\n\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1));
                for (int frames = 0; frames < 100; frames++) {
                    Frame frame = FrameCodec.decode(in, 1 << 20);
                    String text = new String(frame.payload(), StandardCharsets.UTF_8);
                    if (frame.opcode() == Opcode.CLOSE) {
                        send(socket, FrameCodec.encode(Frame.close(1000).withMasked(false), new byte[4]));
                        return;
                    }
                    switch (text) {
                        case "drop" -> {
                            return;
                        }
                        case "ignore" -> {
                            continue;
                        }
                        case "die" -> {
                            listener.close();
                            return;
                        }
                        default -> {
                            if (echoes) {
                                send(socket, FrameCodec.encode(frame.withMasked(false), new byte[4]));
                            }
                        }
                    }
                }
            } catch (IOException e) {
                if (!listener.isClosed() && !socket.isClosed()) {
                    failures.add(e);
                }
            }
        }

        private static void send(Socket socket, byte[] bytes) throws IOException {
            socket.getOutputStream().write(bytes);
            socket.getOutputStream().flush();
        }

        private static String readHead(InputStream in) throws IOException {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) {
                    throw new IOException("client closed mid-request");
                }
                head.write(b);
            }
            return head.toString(StandardCharsets.ISO_8859_1);
        }

        @Override
        public void close() throws IOException {
            listener.close();
            for (Socket socket : sockets) {
                socket.close();
            }
            assertThat(failures).as("errors inside the test server").isEmpty();
        }
    }

    private static ConformanceCase mustFail(String id, String text) {
        Frame frame = Frame.text(text);
        return new ConformanceCase(id, "test", "text \"" + text + "\"", "test", new Expected.FailConnection(1002),
                List.of(frame), List.of(frame));
    }

    @Test
    void classifiesDroppingIgnoringAndAcceptingAndChecksTheServerAfterEach() throws IOException {
        server = new MisbehavingServer(true);
        ConformanceSuite suite = new ConformanceSuite(server.uri(), TIMEOUT);

        List<CaseResult> results = suite.run(List.of(
                mustFail("dropped", "drop"), mustFail("ignored", "ignore"), mustFail("accepted", "accept me")));

        assertThat(results).extracting(r -> r.outcome().describe()).containsExactly(
                "TCP_CLOSED_WITHOUT_CLOSE_FRAME (EOF)",
                "NO_RESPONSE (" + TIMEOUT.toMillis() + " ms)",
                "ECHOED: text fin len=9 \"accept me\"");
        assertThat(results).extracting(r -> r.verdict().label()).containsExactly(
                "conforms (dropped)", "deviates (no response)", "deviates (accepted)");
        assertThat(results).allSatisfy(r -> assertThat(r.stillUp().up()).isTrue());
        assertThat(results).noneMatch(CaseResult::isProblem);
    }

    @Test
    void aServerThatStopsServingFailsTheStillUpCheckAndTheRestIsNotRun() throws IOException {
        server = new MisbehavingServer(true);
        ConformanceSuite suite = new ConformanceSuite(server.uri(), TIMEOUT);

        List<CaseResult> results = suite.run(List.of(mustFail("kills", "die"), mustFail("after", "drop")));

        assertThat(results.get(0).stillUp().up()).isFalse();
        assertThat(results.get(0).stillUp().detail()).startsWith("fresh connection failed");
        assertThat(results.get(1).verdict().kind()).isEqualTo(Verdict.Kind.NOT_RUN);
        assertThat(results.get(1).verdict().label()).contains("stopped serving after case kills");
        assertThat(results).allMatch(CaseResult::isProblem);
    }

    @Test
    void refusesToStartAgainstAServerThatDoesNotEcho() throws IOException {
        server = new MisbehavingServer(false);
        ConformanceSuite suite = new ConformanceSuite(server.uri(), TIMEOUT);

        assertThatThrownBy(() -> suite.run(List.of(mustFail("any", "drop"))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("does not echo a text message")
                .hasMessageContaining("no echo within " + TIMEOUT.toMillis() + " ms");
    }

    @Test
    void aConnectionThatCannotBeOpenedIsAHarnessError() throws IOException {
        int freedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            freedPort = socket.getLocalPort();
        }
        ConformanceSuite suite = new ConformanceSuite(URI.create("ws://127.0.0.1:" + freedPort + "/echo"), TIMEOUT);

        CaseResult result = suite.run(mustFail("unreachable", "drop"));

        assertThat(result.verdict().kind()).isEqualTo(Verdict.Kind.HARNESS_ERROR);
        assertThat(result.verdict().label()).startsWith("harness error: could not open or close the case's connection");
        assertThat(result.harnessFailure()).isInstanceOf(IOException.class);
        assertThat(result.isProblem()).isTrue();
    }
}
