package io.wsbench.servers;

import io.wsbench.testing.JdkWebSocket;
import io.wsbench.server.EchoServer;
import io.wsbench.server.ServerConfig;
import io.wsbench.server.ServerStartException;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Stream;

import io.wsbench.wire.Frame;
import io.wsbench.wire.Opcode;
import io.wsbench.wire.RawWebSocketConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The behaviour every WebSocket echo server must show, checked with the JDK's WebSocket client (and a raw socket
 * for the handshake headers that client cannot show). Behaviour only, never timings: every wait is bounded by
 * {@link #WAIT} so a broken server fails the test instead of hanging it.
 */
class WebSocketEchoContractTest {

    private static final Duration WAIT = JdkWebSocket.WAIT;
    private static final int MAX = ServerConfig.DEFAULT_MAX_MESSAGE_BYTES;
    /** Around each frame-length encoding switch (125/126, 65535/65536) plus the 1 MiB maximum. */
    private static final int[] PAYLOAD_SIZES = {0, 125, 126, 65535, 65536, MAX};
    private static final int START_STOP_CYCLES = 20;
    /** A small limit, to show the limit comes from the configuration. */
    private static final int SMALL_LIMIT = 1000;

    /** What a server did with a message it must refuse (see {@link #outcomeAfter}); the contract is a close frame. */
    private static final String CLOSED_1009 = "close frame 1009";
    private static final String CLOSED_1007 = "close frame 1007";
    private static final String ECHOED_WITH_REPLACEMENT = "echoed as text with U+FFFD in place of the invalid bytes";
    private static final String TCP_CLOSED_WITHOUT_CLOSE_FRAME = "TCP closed without a close frame";
    private static final String DROPPED_AND_STAYED_OPEN = "message dropped, no close, connection still echoing";
    /** Sent after the message the server must refuse: its echo shows the connection survived. */
    private static final String PROBE = "probe after the over-limit message";

    /**
     * The documented deviations from the 1009 rule, by server and by what was sent ("text", "binary" or "fragmented"):
     * asserted exactly, so that a library which changes its behaviour fails the test and its entry gets updated.
     * Every server not listed closes with 1009 in all three cases. Recorded in results/conformance.md's notes too.
     */
    private static final Map<String, Map<String, String>> OVER_LIMIT_DEVIATIONS = Map.of(
            // Vert.x 5.0.7 builds Netty's frame decoder with closeOnProtocolViolation(false), then closes the channel on
            // its "frame too big" error without sending a close frame. Its message aggregator reports a fragmented
            // message over maxWebSocketMessageSize to the exception handler only: the message is dropped, the
            // connection stays open and the client is never told.
            "vertx", Map.of(
                    "text", TCP_CLOSED_WITHOUT_CLOSE_FRAME,
                    "binary", TCP_CLOSED_WITHOUT_CLOSE_FRAME,
                    "fragmented", DROPPED_AND_STAYED_OPEN));

    /**
     * The documented deviations from the 1007 rule for a text message that is not UTF-8, by server, asserted exactly
     * like {@link #OVER_LIMIT_DEVIATIONS}. Every server not listed closes with 1007.
     */
    private static final Map<String, String> INVALID_UTF8_DEVIATIONS = Map.of(
            // Vert.x 5.0.7 does not add Netty's UTF-8 frame validator (only WebSocketServerProtocolHandler does) and
            // decodes text with replacement, so invalid text is echoed with U+FFFD and the connection stays open.
            "vertx", ECHOED_WITH_REPLACEMENT,
            // Helidon 4.5.0 hands its listener each text frame already decoded with replacement (new String(bytes,
            // UTF_8)); the listener never sees the bytes, so it cannot refuse them.
            "helidon", ECHOED_WITH_REPLACEMENT);

    private static ThreadPoolExecutor clientExecutor;
    private static HttpClient client;

    @BeforeAll
    static void startClient() {
        clientExecutor = JdkWebSocket.clientExecutor("contract-client");
        client = HttpClient.newBuilder().executor(clientExecutor).connectTimeout(WAIT).build();
    }

    @AfterAll
    static void stopClient() throws InterruptedException {
        clientExecutor.shutdownNow();
        assertThat(clientExecutor.awaitTermination(WAIT.toSeconds(), TimeUnit.SECONDS))
                .as("client threads ended").isTrue();
    }

    static List<String> serverNames() {
        return EchoServers.webSocketNames();
    }

    /**
     * What a server's library cannot do of this contract, asserted exactly in place of the contract's expectation (and
     * listed in results/conformance.md); every server not named here meets the whole contract. Only deviations no
     * configuration of the library avoids belong here, each explained in the server's class comment.
     */
    enum Deviation {
        /** Negotiates no permessage-deflate even with compression on: the library has no WebSocket extensions. */
        NO_PERMESSAGE_DEFLATE,
        /**
         * Leaves one daemon thread of {@link #leftRunningThreadName} running per server after close(): Helidon 4.5.0
         * never cancels its idle-connection timer (helidon-io/helidon#11939).
         */
        LEAVES_IDLE_TIMER_THREAD,
        /**
         * Does its I/O on virtual threads, so its I/O threads are the JVM's virtual-thread carriers ({@code
         * -Djdk.virtualThreadScheduler.parallelism}, default one per core), which no server can size to {@code
         * serverThreads} (EqualResourcesTest).
         */
        IO_ON_VIRTUAL_THREAD_CARRIERS
    }

    static final Map<String, Set<Deviation>> DEVIATIONS = Map.of(
            "helidon", Set.of(Deviation.NO_PERMESSAGE_DEFLATE, Deviation.LEAVES_IDLE_TIMER_THREAD,
                    Deviation.IO_ON_VIRTUAL_THREAD_CARRIERS),
            "tomcat-vt", Set.of(Deviation.IO_ON_VIRTUAL_THREAD_CARRIERS));

    static Set<Deviation> deviations(String server) {
        return DEVIATIONS.getOrDefault(server, Set.of());
    }

    /** The thread a {@link Deviation#LEAVES_IDLE_TIMER_THREAD} server leaves, one per start: Helidon's name for it. */
    static String leftRunningThreadName(String server) {
        return server.equals("helidon") ? "helidon-idle-connection-timer" : "";
    }

    /** The threads {@code server} is known to leave after {@code starts} start/stop cycles: empty unless it deviates. */
    static List<String> threadsLeftBy(String server, int starts) {
        return deviations(server).contains(Deviation.LEAVES_IDLE_TIMER_THREAD)
                ? Collections.nCopies(starts, leftRunningThreadName(server)) : List.of();
    }

    /** Skips (does not fail) a test of a server this JVM cannot run, e.g. server=helidon on Java 17, saying why. */
    static void assumeRunsHere(String server) {
        EchoServers.unavailableReason(server).ifPresent(reason -> assumeTrue(false, reason));
    }

    /** A registered server by name; creating it skips the test when this JVM cannot run it. */
    record RegisteredServer(String name) implements Function<ServerConfig, EchoServer> {
        @Override
        public EchoServer apply(ServerConfig config) {
            assumeRunsHere(name);
            return EchoServers.create(name, config);
        }
    }

    static Stream<Named<RegisteredServer>> servers() {
        // Every registered WebSocket server is held to this contract: a new server gets it by its registry line.
        return EchoServers.webSocketNames().stream().map(name -> Named.of(name, new RegisteredServer(name)));
    }

    @Test
    void deviationListsNameOnlyRegisteredServers() {
        assertThat(EchoServers.webSocketNames())
                .containsAll(OVER_LIMIT_DEVIATIONS.keySet())
                .containsAll(INVALID_UTF8_DEVIATIONS.keySet())
                .containsAll(DEVIATIONS.keySet());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("servers")
    void echoesTextAndBinaryUnchangedAroundFrameLengthBoundaries(Function<ServerConfig, EchoServer> factory)
            throws Exception {
        try (EchoServer server = factory.apply(ServerConfig.defaults())) {
            URI uri = server.start();
            assertThat(uri.getScheme()).isEqualTo("ws");
            assertThat(uri.getHost()).isEqualTo("127.0.0.1");
            assertThat(uri.getPath()).isEqualTo("/echo");
            assertThat(uri.getPort()).isPositive();
            try (JdkWebSocket connection = JdkWebSocket.open(client, uri)) {
                for (int size : PAYLOAD_SIZES) {
                    String text = utf8Text(size);
                    assertSameBytes("text echo of " + size + " bytes", text.getBytes(UTF_8),
                            connection.echoText(text).getBytes(UTF_8));
                    byte[] binary = binaryPayload(size);
                    assertSameBytes("binary echo of " + size + " bytes", binary, connection.echoBinary(binary));
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("servers")
    void echoesAFragmentedMessageWholeAsOneMessage(Function<ServerConfig, EchoServer> factory) throws Exception {
        try (EchoServer server = factory.apply(ServerConfig.defaults());
             JdkWebSocket connection = JdkWebSocket.open(client, server.start())) {
            String[] textParts = {"first fragment \u00e9 ", "second \u20ac ", "third \uD83D\uDE00"};
            for (int i = 0; i < textParts.length; i++) {
                connection.await(connection.socket.sendText(textParts[i], i == textParts.length - 1));
            }
            // A marker right after shows the echo was one message, not one per fragment.
            connection.await(connection.socket.sendText("marker", true));
            assertThat(connection.nextText()).isEqualTo(String.join("", textParts));
            assertThat(connection.nextText()).isEqualTo("marker");

            byte[][] binaryParts = {binaryPayload(10), binaryPayload(70_000), binaryPayload(3)};
            ByteArrayOutputStream whole = new ByteArrayOutputStream();
            for (int i = 0; i < binaryParts.length; i++) {
                whole.write(binaryParts[i]);
                connection.await(connection.socket.sendBinary(ByteBuffer.wrap(binaryParts[i]),
                        i == binaryParts.length - 1));
            }
            connection.await(connection.socket.sendText("marker", true));
            assertSameBytes("fragmented binary echo", whole.toByteArray(), connection.nextBinary());
            assertThat(connection.nextText()).isEqualTo("marker");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("servers")
    void answersPingWithPongOfTheSamePayload(Function<ServerConfig, EchoServer> factory) throws Exception {
        try (EchoServer server = factory.apply(ServerConfig.defaults());
             JdkWebSocket connection = JdkWebSocket.open(client, server.start())) {
            byte[] payload = "ping payload".getBytes(US_ASCII);
            connection.await(connection.socket.sendPing(ByteBuffer.wrap(payload)));
            byte[] pong = connection.recorder.pongs.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(pong).as("pong within %s", WAIT).isNotNull().isEqualTo(payload);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("servers")
    void completesTheCloseHandshakeWithNormalClosure(Function<ServerConfig, EchoServer> factory) throws Exception {
        try (EchoServer server = factory.apply(ServerConfig.defaults());
             JdkWebSocket connection = JdkWebSocket.open(client, server.start())) {
            connection.await(connection.socket.sendClose(WebSocket.NORMAL_CLOSURE, "done"));
            assertThat(connection.awaitCloseStatus()).isEqualTo(WebSocket.NORMAL_CLOSURE);
        }
    }

    /**
     * Every server counts the limit inclusively and, unless listed in {@link #OVER_LIMIT_DEVIATIONS}, answers 1009 for
     * text, binary and fragmented messages one byte over it. Tyrus does so through TyrusEchoServer's own size check
     * (see its class comment); only a frame over twice the limit would get Tyrus's 1011 instead, which this test does
     * not send. A listed server must show exactly its documented deviation, so that a fix upstream is noticed here.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("serverNames")
    void closesWith1009OnAMessageOneByteOverTheLimit(String name) throws Exception {
        assumeRunsHere(name);
        Map<String, String> deviations = OVER_LIMIT_DEVIATIONS.getOrDefault(name, Map.of());
        for (int limit : new int[] {MAX, SMALL_LIMIT}) {
            try (EchoServer server = EchoServers.create(name, ServerConfig.defaults().withMaxMessageBytes(limit))) {
                URI uri = server.start();
                try (JdkWebSocket connection = JdkWebSocket.open(client, uri)) {
                    String atLimit = utf8Text(limit);
                    assertSameBytes("text of exactly " + limit + " bytes", atLimit.getBytes(UTF_8),
                            connection.echoText(atLimit).getBytes(UTF_8));
                    byte[] binaryAtLimit = binaryPayload(limit);
                    assertSameBytes("binary of exactly " + limit + " bytes", binaryAtLimit,
                            connection.echoBinary(binaryAtLimit));
                }
                String overLimit = utf8Text(limit + 1);
                assertThat(outcomeAfter(uri, Frame.text(overLimit)))
                        .as("%s after text of %d bytes, limit %d", name, limit + 1, limit)
                        .isEqualTo(deviations.getOrDefault("text", CLOSED_1009));
                assertThat(outcomeAfter(uri, Frame.binary(binaryPayload(limit + 1))))
                        .as("%s after binary of %d bytes, limit %d", name, limit + 1, limit)
                        .isEqualTo(deviations.getOrDefault("binary", CLOSED_1009));
                // Fragments within the limit each, over it together; the last half is multi-byte text.
                String firstHalf = utf8Text(limit / 2);
                String secondHalf = "\u20ac".repeat((limit - limit / 2) / 3 + 1);
                assertThat(outcomeAfter(uri, Frame.text(firstHalf).withFin(false),
                        Frame.continuation(secondHalf.getBytes(UTF_8))))
                        .as("%s after fragmented text over %d bytes", name, limit)
                        .isEqualTo(deviations.getOrDefault("fragmented", CLOSED_1009));
            }
        }
    }

    /** RFC 6455 section 8.1: a text message that is not valid UTF-8 fails the connection with 1007. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("serverNames")
    void closesWith1007OnTextThatIsNotUtf8(String name) throws Exception {
        assumeRunsHere(name);
        // "Hello " + U+D800 as if it were encodable (ED A0 80: a surrogate, never valid UTF-8) + " world".
        ByteArrayOutputStream invalid = new ByteArrayOutputStream();
        invalid.write("Hello ".getBytes(UTF_8));
        invalid.write(new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80});
        invalid.write(" world".getBytes(UTF_8));
        try (EchoServer server = EchoServers.create(name, ServerConfig.defaults())) {
            assertThat(outcomeAfter(server.start(), Frame.of(Opcode.TEXT, invalid.toByteArray())))
                    .as("%s after a text message with a UTF-8-encoded surrogate", name)
                    .isEqualTo(INVALID_UTF8_DEVIATIONS.getOrDefault(name, CLOSED_1007));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("servers")
    void releasesPortsAndThreadsOverRepeatedStartStop(RegisteredServer factory) throws Exception {
        assumeRunsHere(factory.name());
        Set<Thread> threadsBefore = Set.of();
        List<InetSocketAddress> boundAddresses = new ArrayList<>();
        for (int cycle = 0; cycle < START_STOP_CYCLES; cycle++) {
            if (cycle == 1) {
                // As in ServerTeardownTest, threads are counted from after the first cycle: it initialises the
                // library's classes and their once-per-JVM threads (Vert.x's static Cleaner), which no close() ends.
                threadsBefore = Set.copyOf(Thread.getAllStackTraces().keySet());
            }
            EchoServer server = factory.apply(ServerConfig.defaults());
            try {
                URI uri = server.start();
                boundAddresses.add(new InetSocketAddress(uri.getHost(), uri.getPort()));
                // A real exchange each time, so threads a server creates lazily exist before close().
                try (JdkWebSocket connection = JdkWebSocket.open(client, uri)) {
                    assertThat(connection.echoText("cycle " + cycle)).isEqualTo("cycle " + cycle);
                    connection.await(connection.socket.sendClose(WebSocket.NORMAL_CLOSURE, "cycle done"));
                    assertThat(connection.awaitCloseStatus()).isEqualTo(WebSocket.NORMAL_CLOSURE);
                }
                // close() also meets a connection upgraded a moment ago, whose session may still be being set up.
                try (RawUpgrade justUpgraded = rawUpgrade(uri, uri.getPath())) {
                    assertThat(justUpgraded.response().statusLine()).contains(" 101 ");
                    server.close();
                }
            } finally {
                server.close(); // a second close() on the normal path: must be harmless
            }
        }
        for (InetSocketAddress address : boundAddresses) {
            assertThatCode(() -> {
                try (ServerSocket probe = new ServerSocket()) {
                    probe.bind(address);
                }
            }).as("port %d free after close()", address.getPort()).doesNotThrowAnyException();
        }
        assertThat(threadsStillRunningSince(threadsBefore, Duration.ofSeconds(5),
                threadsLeftBy(factory.name(), START_STOP_CYCLES - 1).size()))
                .as("threads created during %d start/stop cycles and still running after close() (%s)",
                        START_STOP_CYCLES - 1, deviations(factory.name()))
                .isEqualTo(threadsLeftBy(factory.name(), START_STOP_CYCLES - 1));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("servers")
    void refusesToStartOnAPortAlreadyInUse(Function<ServerConfig, EchoServer> factory) throws Exception {
        try (EchoServer first = factory.apply(ServerConfig.defaults())) {
            URI uri = first.start();
            int port = uri.getPort();
            try (EchoServer second = factory.apply(ServerConfig.defaults().withPort(port))) {
                assertThatThrownBy(second::start)
                        .isInstanceOf(ServerStartException.class)
                        .hasMessageContaining("127.0.0.1:" + port)
                        .hasMessageContaining("port " + port + " is already in use; stop whatever listens there, pick"
                                + " another port, or use port 0 for an ephemeral one");
            }
            try (JdkWebSocket connection = JdkWebSocket.open(client, uri)) {
                assertThat(connection.echoText("still serving")).isEqualTo("still serving");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("servers")
    void negotiatesPermessageDeflateOnlyWhenCompressionIsOn(RegisteredServer factory) throws Exception {
        ServerConfig plain = ServerConfig.defaults().withPath("/custom/echo");
        try (EchoServer server = factory.apply(plain)) {
            URI uri = server.start();
            assertThat(uri.getPath()).isEqualTo("/custom/echo");
            try (RawUpgrade upgrade = rawUpgrade(uri, uri.getPath())) {
                assertThat(upgrade.response().statusLine()).contains(" 101 ");
                assertThat(upgrade.response().header("sec-websocket-extensions")).doesNotContain("permessage-deflate");
            }
            try (RawUpgrade upgrade = rawUpgrade(uri, "/echo")) {
                assertThat(upgrade.response().statusLine())
                        .as("upgrade at a path the server does not serve").doesNotContain(" 101 ");
            }
        }
        try (EchoServer server = factory.apply(plain.withCompression(true))) {
            URI uri = server.start();
            try (RawUpgrade upgrade = rawUpgrade(uri, uri.getPath())) {
                assertThat(upgrade.response().statusLine()).contains(" 101 ");
                if (deviations(factory.name()).contains(Deviation.NO_PERMESSAGE_DEFLATE)) {
                    assertThat(upgrade.response().header("sec-websocket-extensions"))
                            .as("%s deviates: no permessage-deflate even with compression on", factory.name())
                            .doesNotContain("permessage-deflate");
                } else {
                    assertThat(upgrade.response().header("sec-websocket-extensions")).contains("permessage-deflate");
                }
            }
        }
    }

    // ---- helpers ----

    /**
     * Opens a raw connection, writes {@code frames} and then a small {@link #PROBE} text message from a client thread,
     * and says what the server did: "close frame NNNN" ({@link #CLOSED_1009}, {@link #CLOSED_1007}), {@link
     * #TCP_CLOSED_WITHOUT_CLOSE_FRAME}, {@link #DROPPED_AND_STAYED_OPEN} when the probe came back with no echo and no
     * close before it, {@link #ECHOED_WITH_REPLACEMENT}, or "echoed a text/binary message of N bytes". A server that fails the connection may close TCP while the client is still writing (RFC 6455
     * section 7.1.7 allows it, and Netty does so right after its 1009): the client's write then fails with a reset, but
     * the close frame sent before that reset is already in the client's receive buffer and is read here. The JDK client
     * reported such a reset instead of the close in 2 of 4 runs, a race in the test rather than a server finding; the
     * raw reader makes the check deterministic.
     */
    private static String outcomeAfter(URI uri, Frame... frames) throws Exception {
        try (RawWebSocketConnection raw = RawWebSocketConnection.open(uri, WAIT)) {
            CompletableFuture<Void> writing = CompletableFuture.runAsync(() -> {
                try {
                    for (Frame frame : frames) {
                        raw.send(frame);
                    }
                    raw.send(Frame.text(PROBE));
                } catch (IOException closedFirst) {
                    // The server stopped reading and closed: only what it sent before is the outcome.
                }
            }, clientExecutor);
            long deadline = System.nanoTime() + WAIT.toNanos();
            for (int read = 0; read < 16; read++) {
                Duration left = Duration.ofNanos(Math.max(1_000_000, deadline - System.nanoTime()));
                Frame frame;
                try {
                    frame = raw.readFrame(left);
                } catch (EOFException | SocketException closed) {
                    // EOF or reset before any close frame; a timeout (SocketTimeoutException) is no outcome and fails.
                    writing.get(WAIT.toSeconds(), TimeUnit.SECONDS);
                    return TCP_CLOSED_WITHOUT_CLOSE_FRAME;
                }
                if (frame.opcode() == Opcode.CLOSE) {
                    raw.close();
                    writing.get(WAIT.toSeconds(), TimeUnit.SECONDS);
                    return frame.closeCode() == 1009 ? CLOSED_1009 : "close frame " + frame.closeCode();
                }
                if (frame.opcode() == Opcode.TEXT && PROBE.equals(new String(frame.payload(), UTF_8))) {
                    writing.get(WAIT.toSeconds(), TimeUnit.SECONDS);
                    return DROPPED_AND_STAYED_OPEN;
                }
                if (frame.opcode() == Opcode.TEXT && new String(frame.payload(), UTF_8).contains("\uFFFD")) {
                    writing.get(WAIT.toSeconds(), TimeUnit.SECONDS);
                    return ECHOED_WITH_REPLACEMENT;
                }
                if (frame.opcode() == Opcode.TEXT || frame.opcode() == Opcode.BINARY) {
                    writing.get(WAIT.toSeconds(), TimeUnit.SECONDS);
                    return "echoed a " + Opcode.name(frame.opcode()) + " message of " + frame.payloadLength() + " bytes";
                }
            }
            return fail("no close frame and no probe echo among the first 16 frames the server sent");
        }
    }

    /** Text of exactly {@code bytes} UTF-8 bytes, cycling 1-, 2-, 3- and 4-byte characters where they fit. */
    static String utf8Text(int bytes) {
        String[] characters = {"a", "\u00e9", "\u20ac", "\uD83D\uDE00"};
        StringBuilder text = new StringBuilder(bytes);
        int used = 0;
        for (int i = 0; used < bytes; i++) {
            String character = characters[i % characters.length];
            int length = character.getBytes(UTF_8).length;
            if (used + length > bytes) {
                character = "a";
                length = 1;
            }
            text.append(character);
            used += length;
        }
        assertThat(text.toString().getBytes(UTF_8)).as("generated text length").hasSize(bytes);
        return text.toString();
    }

    static byte[] binaryPayload(int size) {
        byte[] payload = new byte[size];
        for (int i = 0; i < size; i++) {
            payload[i] = (byte) (i * 31 + 7);
        }
        return payload;
    }

    /** Compares without printing megabytes of payload on failure. */
    private static void assertSameBytes(String what, byte[] expected, byte[] actual) {
        int mismatch = Arrays.mismatch(expected, actual);
        if (mismatch >= 0) {
            fail(String.format("%s differs: expected %d bytes, got %d; first difference at byte %d",
                    what, expected.length, actual.length, mismatch));
        }
    }

    /**
     * Threads alive now that were not before, waiting up to {@code grace} for all but {@code expected} of them to end.
     * The JVM's own threads ({@link #isJvmThread}) are excluded: they outlive any server by design.
     */
    private static List<String> threadsStillRunningSince(Set<Thread> before, Duration grace, int expected)
            throws InterruptedException {
        long deadline = System.nanoTime() + grace.toNanos();
        while (true) {
            List<String> newThreads = Thread.getAllStackTraces().keySet().stream()
                    .filter(thread -> !before.contains(thread) && thread.isAlive() && !isJvmThread(thread))
                    .map(Thread::getName)
                    .sorted()
                    .toList();
            if (newThreads.size() <= expected || System.nanoTime() >= deadline) {
                return newThreads;
            }
            Thread.sleep(50);
        }
    }

    /**
     * Threads the JVM starts for itself when first needed and keeps: the common fork-join pool's workers, and on Java
     * 21+ the virtual-thread scheduler's carrier threads and I/O pollers (JDK-internal classes no library can create).
     */
    static boolean isJvmThread(Thread thread) {
        if (thread instanceof ForkJoinWorkerThread worker && worker.getPool() == ForkJoinPool.commonPool()) {
            return true;
        }
        String type = thread.getClass().getName();
        return type.equals("jdk.internal.misc.CarrierThread") || type.equals("jdk.internal.misc.InnocuousThread");
    }

    record HandshakeResponse(String statusLine, List<String> headerLines) {
        /** The value of the named header, or "" when absent. */
        String header(String name) {
            String prefix = name.toLowerCase(Locale.ROOT) + ":";
            return headerLines.stream()
                    .filter(line -> line.toLowerCase(Locale.ROOT).startsWith(prefix))
                    .map(line -> line.substring(prefix.length()).trim())
                    .findFirst()
                    .orElse("");
        }
    }

    /** A plain socket that has sent a WebSocket upgrade request and read the response head. */
    record RawUpgrade(Socket socket, HandshakeResponse response) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    /** Sends an upgrade request offering permessage-deflate, leaving the connection open. */
    private static RawUpgrade rawUpgrade(URI server, String path) throws IOException {
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress(server.getHost(), server.getPort()), (int) WAIT.toMillis());
            socket.setSoTimeout((int) WAIT.toMillis());
            String request = "GET " + path + " HTTP/1.1\r\n"
                    + "Host: " + server.getHost() + ":" + server.getPort() + "\r\n"
                    + "Upgrade: websocket\r\n"
                    + "Connection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString("contract-test-16".getBytes(US_ASCII))
                    + "\r\n"
                    + "Sec-WebSocket-Version: 13\r\n"
                    + "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n"
                    + "\r\n";
            socket.getOutputStream().write(request.getBytes(US_ASCII));
            socket.getOutputStream().flush();
            List<String> lines = List.of(readResponseHead(socket.getInputStream()).split("\r\n"));
            return new RawUpgrade(socket, new HandshakeResponse(lines.get(0), lines.subList(1, lines.size())));
        } catch (IOException | RuntimeException | Error e) {
            socket.close();
            throw e;
        }
    }

    private static String readResponseHead(InputStream in) throws IOException {
        int maxHeadBytes = 16 * 1024;
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (head.size() < maxHeadBytes) {
            int next = in.read();
            if (next < 0) {
                break;
            }
            head.write(next);
            String sofar = head.toString(US_ASCII);
            if (sofar.endsWith("\r\n\r\n")) {
                return sofar.substring(0, sofar.length() - 4);
            }
        }
        return fail("no complete HTTP response head within " + maxHeadBytes + " bytes: " + head.toString(US_ASCII));
    }
}
