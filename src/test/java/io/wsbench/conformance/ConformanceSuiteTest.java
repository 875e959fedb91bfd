package io.wsbench.conformance;

import io.wsbench.conformance.cases.Behaviour;
import io.wsbench.conformance.cases.CloseBehaviour;
import io.wsbench.conformance.cases.ConformanceCase;
import io.wsbench.conformance.cases.ConformanceCases;
import io.wsbench.conformance.cases.Event;
import io.wsbench.conformance.cases.Verdict;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wsbench.wire.Frame;
import io.wsbench.wire.FrameCodec;
import io.wsbench.wire.Opcode;
import io.wsbench.wire.RawWebSocketConnection;
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
 * The runner against a fake server with one fault, to check the outcomes the real servers seldom produce: each fault
 * gets the verdict and close Autobahn gives it, every case ends by itself, and a server that dies is reported.
 */
class ConformanceSuiteTest {

    private static final Duration TIMEOUT = Duration.ofMillis(300);
    private static final int MAX_MESSAGE_BYTES = 1 << 20;
    private static final List<ConformanceCase> CASES = ConformanceCases.all(MAX_MESSAGE_BYTES);
    /** A valid text message the server must echo. */
    private static final ConformanceCase VALID = byId("1.1.2");
    /** Invalid UTF-8 the server must fail on (1007). */
    private static final ConformanceCase INVALID_UTF8 = byId("6.3.1");

    private FaultyServer server;

    @AfterEach
    void stopServer() throws IOException {
        if (server != null) {
            server.close();
        }
    }

    private static ConformanceCase byId(String id) {
        return CASES.stream().filter(c -> c.id().equals(id)).findFirst().orElseThrow();
    }

    private ConformanceSuite suiteAgainst(FaultyServer.Fault fault) throws IOException {
        server = new FaultyServer(fault);
        return new ConformanceSuite(server.uri(), TIMEOUT, MAX_MESSAGE_BYTES);
    }

    private static long farDeadline() {
        return System.nanoTime() + Duration.ofMinutes(1).toNanos();
    }

    @Test
    void aServerThatEchoesInvalidUtf8FailsAndTheClientHasToDrop() throws IOException {
        ConformanceSuite suite = suiteAgainst(FaultyServer.Fault.ACCEPT);

        List<CaseResult> results = suite.run(List.of(VALID, INVALID_UTF8), farDeadline());

        assertThat(results.get(0).verdict()).extracting(Verdict::behaviour, Verdict::close)
                .containsExactly(Behaviour.OK, CloseBehaviour.OK);
        CaseResult accepted = results.get(1);
        assertThat(accepted.verdict().behaviour()).isEqualTo(Behaviour.FAILED);
        assertThat(accepted.verdict().close()).isEqualTo(CloseBehaviour.FAILED_BY_CLIENT);
        assertThat(accepted.close().describe()).isEqualTo("dropped by client, no code, unclean");
        assertThat(accepted.events()).hasSize(1).first().isInstanceOf(Event.Message.class);
        assertThat(results).noneMatch(CaseResult::isProblem);
    }

    @Test
    void aServerThatDropsTcpOnInvalidInputFailsItAsAutobahnAllows() throws IOException {
        ConformanceSuite suite = suiteAgainst(FaultyServer.Fault.DROP);

        CaseResult dropped = suite.run(INVALID_UTF8);

        assertThat(dropped.verdict()).extracting(Verdict::behaviour, Verdict::close)
                .containsExactly(Behaviour.OK, CloseBehaviour.OK);
        assertThat(dropped.close().describe()).isEqualTo("server, no code, unclean");
        assertThat(dropped.stillUp().up()).isTrue();
    }

    @Test
    void aSilentServerFailsAnEchoAndTheClientEndsEveryCaseItself() throws IOException {
        ConformanceSuite suite = suiteAgainst(FaultyServer.Fault.SILENT);

        List<CaseResult> results = suite.run(List.of(VALID, INVALID_UTF8), farDeadline());

        CaseResult noEcho = results.get(0);
        assertThat(noEcho.verdict()).extracting(Verdict::behaviour, Verdict::close)
                .containsExactly(Behaviour.FAILED, CloseBehaviour.FAILED);
        assertThat(noEcho.close().describe()).isEqualTo("dropped by client, no code, unclean");
        // Ignoring invalid input sends nothing wrong back, but only the client ended the connection.
        CaseResult ignored = results.get(1);
        assertThat(ignored.verdict()).extracting(Verdict::behaviour, Verdict::close)
                .containsExactly(Behaviour.OK, CloseBehaviour.FAILED_BY_CLIENT);
        assertThat(results).allSatisfy(r -> assertThat(r.stillUp().up()).isTrue());
    }

    @Test
    void aServerThatDiesIsReportedAndTheCasesAfterItAreNotRun() throws IOException {
        ConformanceSuite suite = suiteAgainst(FaultyServer.Fault.DIE);

        List<CaseResult> results = suite.run(List.of(VALID, INVALID_UTF8), farDeadline());

        assertThat(results.get(0).stillUp().up()).isFalse();
        assertThat(results.get(0).stillUp().detail()).startsWith("fresh connection failed");
        assertThat(results.get(1).verdict()).isNull();
        assertThat(results.get(1).problem()).isEqualTo("not run: the server stopped serving after case " + VALID.id());
        assertThat(results).allMatch(CaseResult::isProblem);
    }

    @Test
    void aServerThatResetsOnTheBadFrameStillHasItsEarlierEchoCounted() throws IOException {
        ConformanceSuite suite = suiteAgainst(FaultyServer.Fault.RESET_ON_RSV);
        List<ConformanceCase> rsvAfterText = List.of(byId("3.2"), byId("3.3"), byId("3.4"));

        List<CaseResult> results = suite.run(rsvAfterText, farDeadline());

        // Autobahn writes the bad frame right behind the text, and the reset can then discard the echo (NON-STRICT).
        assertThat(results).allSatisfy(r -> {
            assertThat(r.verdict()).extracting(Verdict::behaviour, Verdict::close)
                    .containsExactly(Behaviour.OK, CloseBehaviour.OK);
            assertThat(r.events()).isNotEmpty().isEqualTo(r.testCase().expected().get(Behaviour.OK));
            assertThat(r.transcript().sent()).contains("wait for the echo of 1 message(s)");
        });
    }

    @Test
    void aSpentBudgetLeavesTheCasesNotRun() throws IOException {
        ConformanceSuite suite = suiteAgainst(FaultyServer.Fault.ACCEPT);

        List<CaseResult> results = suite.run(List.of(VALID), System.nanoTime() - 1);

        assertThat(results).singleElement().extracting(CaseResult::problem)
                .isEqualTo("not run: the run's time budget was spent");
    }

    @Test
    void refusesToStartAgainstAServerThatDoesNotEcho() throws IOException {
        ConformanceSuite suite = suiteAgainst(FaultyServer.Fault.MUTE);

        assertThatThrownBy(() -> suite.run(List.of(VALID), farDeadline()))
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
        ConformanceSuite suite = new ConformanceSuite(URI.create("ws://127.0.0.1:" + freedPort + "/echo"), TIMEOUT,
                MAX_MESSAGE_BYTES);

        CaseResult result = suite.run(VALID);

        assertThat(result.verdict()).isNull();
        assertThat(result.problem()).startsWith("harness error: could not open the case's connection");
        assertThat(result.harnessFailure()).isInstanceOf(IOException.class);
        assertThat(result.isProblem()).isTrue();
    }

    /**
     * A raw-socket WebSocket server that answers the suite's still-up probe and a close frame as it should, and does
     * {@link Fault} with every other frame. Raw, so that it can do what no library would: accept anything.
     */
    private static final class FaultyServer implements AutoCloseable {
        enum Fault {
            /** Echoes every data frame as it came, invalid or not. */
            ACCEPT,
            /** Closes TCP without a close frame. */
            DROP,
            /** Ignores the frame. */
            SILENT,
            /** Stops listening and closes every connection. */
            DIE,
            /** Not even the still-up probe is echoed. */
            MUTE,
            /** Echoes valid frames; resets TCP on a frame with RSV set, with whatever follows it unread. */
            RESET_ON_RSV
        }

        private static final Pattern KEY = Pattern.compile("Sec-WebSocket-Key: (\\S+)\r\n");
        private static final int MAX_FRAMES_PER_CONNECTION = 100;
        private static final int SOCKET_TIMEOUT_MILLIS = 5_000;
        private static final byte[] NO_MASK = new byte[4];

        private final Fault fault;
        private final ServerSocket listener;
        private final Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
        private final Queue<Socket> sockets = new ConcurrentLinkedQueue<>();

        FaultyServer(Fault fault) throws IOException {
            this.fault = fault;
            listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread acceptor = new Thread(this::acceptLoop, "faulty-acceptor");
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
                        // accept() can return a connection after close(): a dead server must not serve it.
                        socket.close();
                        continue;
                    }
                    sockets.add(socket);
                    Thread handler = new Thread(() -> serve(socket), "faulty-connection");
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
                socket.setSoTimeout(SOCKET_TIMEOUT_MILLIS);
                InputStream in = socket.getInputStream();
                Matcher key = KEY.matcher(readHead(in));
                if (!key.find()) {
                    throw new IOException("request without Sec-WebSocket-Key");
                }
                send(socket, ("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                        + "Sec-WebSocket-Accept: " + RawWebSocketConnection.acceptFor(key.group(1)) + "\r\n\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1));
                for (int frames = 0; frames < MAX_FRAMES_PER_CONNECTION; frames++) {
                    Frame frame = FrameCodec.decode(in, RawWebSocketConnection.MAX_INCOMING_PAYLOAD_BYTES);
                    if (frame.opcode() == Opcode.CLOSE) {
                        send(socket, FrameCodec.encode(Frame.close(ConformanceCases.NORMAL).withMasked(false), NO_MASK));
                        return;
                    }
                    boolean probe = new String(frame.payload(), StandardCharsets.UTF_8)
                            .startsWith(ConformanceSuite.STILL_UP_PROBE);
                    Fault now = probe && fault != Fault.MUTE ? Fault.ACCEPT : fault;
                    if (now == Fault.RESET_ON_RSV) {
                        now = frame.rsv() == 0 ? Fault.ACCEPT : Fault.DROP;
                        // Linger 0: close() sends RST, which is what a server closing with unread input does.
                        socket.setSoLinger(true, 0);
                    }
                    switch (now) {
                        case ACCEPT -> send(socket, FrameCodec.encode(frame.withMasked(false), NO_MASK));
                        case DROP -> {
                            return;
                        }
                        case SILENT, MUTE -> {
                        }
                        case DIE -> {
                            listener.close();
                            for (Socket other : sockets) {
                                other.close();
                            }
                            return;
                        }
                        default -> throw new IllegalStateException("unhandled fault " + now);
                    }
                }
            } catch (IOException e) {
                // The client drops TCP at the end of many cases; only a failure on an open connection is an error.
                if (!listener.isClosed() && !socket.isClosed() && !(e instanceof java.net.SocketException)
                        && !(e instanceof java.io.EOFException)) {
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
}
