package io.wsbench.client;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.wsbench.client.EchoFailedException.Kind;
import io.wsbench.wire.EchoProtocol;
import io.wsbench.wire.MessageLimits;
import io.wsbench.wire.Opcode;
import io.wsbench.wire.RawWebSocketConnection;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * One connection whose calling thread writes each message and reads its echo itself: the round trip with no thread
 * hand-off, so a one-connection ping-pong measures the server and the kernel, not a client event loop waking a
 * waiting thread.
 *
 * <p>Frames are built once: the masked WebSocket frame (or the length-prefixed raw-TCP message) of the template is
 * kept, and each message only rewrites and re-masks its sequence field (8 or 16 bytes). The masking key is random per
 * connection and reused for its frames; a server unmasks every frame the same way whatever the key, so its cost is
 * unchanged. Every echo is checked like the Netty client checks it ({@link EchoPayload}): length, type, prefix,
 * sequence, every byte.
 *
 * <p>Reads block without a socket timeout (a timed read costs three more system calls per echo); instead {@link
 * EchoWatchdog} closes the socket of a round trip that waits longer than the echo timeout, which then fails with a
 * clear timeout. The socket is a {@link SocketChannel}'s, so an interrupt (JMH's {@code -to} with {@code -si false})
 * also ends a blocked read at once. Not thread-safe: one per thread.
 */
public final class BlockingEchoConnection implements AutoCloseable {
    /** How long close() reads what the server still sends before its close answer, at most. */
    private static final Duration CLOSE_DRAIN = Duration.ofSeconds(1);
    private static final int MAX_HANDSHAKE_RESPONSE_BYTES = 16 * 1024;
    private static final int MAX_CONTROL_FRAMES_PER_ECHO = 16;

    private final URI target;
    private final EchoPayload payload;
    private final boolean websocket;
    private final long echoTimeoutMillis;
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final int maxMessageBytes;

    /** The whole frame (or raw-TCP message) as sent; each message rewrites only its sequence field. */
    private final byte[] frame;
    private final int payloadOffset;
    private final byte[] mask;
    private final byte[] message;

    /** Received bytes not yet parsed: {@code received[readIndex, writeIndex)}. */
    private byte[] received;
    private int readIndex;
    private int writeIndex;
    private byte[] echo;
    private ByteBuf echoView;

    private long nextSequence;
    /** When the current round trip started waiting ({@link System#nanoTime()}), 0 when none waits; for the watchdog. */
    private volatile long waitingSince;
    private volatile boolean timedOut;
    private final long echoTimeoutNanos;

    private BlockingEchoConnection(URI target, EchoPayload payload, ClientConfig config, Socket socket) throws IOException {
        this.target = target;
        this.payload = payload;
        this.websocket = !"tcp".equals(target.getScheme());
        this.echoTimeoutMillis = config.echoTimeout().toMillis();
        this.echoTimeoutNanos = config.echoTimeout().toNanos();
        this.maxMessageBytes = config.maxMessageBytes();
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
        this.message = payload.templateCopy();
        int size = message.length;
        if (websocket) {
            int lengthBytes = size <= 125 ? 0 : size <= 0xFFFF ? 2 : 8;
            payloadOffset = 2 + lengthBytes + 4;
            frame = new byte[payloadOffset + size];
            frame[0] = (byte) (0x80 | (payload.type() == MessageType.TEXT ? Opcode.TEXT : Opcode.BINARY));
            frame[1] = (byte) (0x80 | (lengthBytes == 0 ? size : lengthBytes == 2 ? 126 : 127));
            for (int i = 0; i < lengthBytes; i++) {
                frame[2 + i] = (byte) ((long) size >>> (8 * (lengthBytes - 1 - i)));
            }
            mask = new byte[4];
            new SecureRandom().nextBytes(mask);
            System.arraycopy(mask, 0, frame, payloadOffset - 4, 4);
            for (int i = 0; i < size; i++) {
                frame[payloadOffset + i] = (byte) (message[i] ^ mask[i & 3]);
            }
        } else {
            payloadOffset = MessageLimits.RAW_TCP_LENGTH_PREFIX_BYTES;
            frame = new byte[payloadOffset + size];
            for (int i = 0; i < payloadOffset; i++) {
                frame[i] = (byte) (size >>> (8 * (payloadOffset - 1 - i)));
            }
            mask = new byte[] {0, 0, 0, 0};
            System.arraycopy(message, 0, frame, payloadOffset, size);
        }
        this.received = new byte[Math.max(64 * 1024, frame.length + 16)];
        this.echo = new byte[payload.echoSize()];
        this.echoView = Unpooled.wrappedBuffer(echo);
    }

    /**
     * Connects, completes the WebSocket (and TLS) handshake, and returns a connection ready for {@link #roundTrip()}.
     *
     * @throws EchoFailedException naming what failed (refused, TLS, handshake refused) and what to check
     */
    public static BlockingEchoConnection open(URI target, MessageType type, int payloadBytes, long seed, ClientConfig config) {
        String scheme = String.valueOf(target.getScheme()).toLowerCase(Locale.ROOT);
        if (!scheme.equals("ws") && !scheme.equals("wss") && !scheme.equals("tcp")) {
            throw new IllegalArgumentException("unsupported target '" + target
                    + "': use ws://HOST:PORT/PATH, wss://HOST:PORT/PATH or tcp://HOST:PORT");
        }
        config.requireMessageFits(payloadBytes);
        if (config.protocol() != EchoProtocol.WEBSOCKET) {
            throw new IllegalArgumentException("the round trip's blocking client speaks plain WebSocket and raw TCP, not "
                    + config.protocol().paramValue() + " (" + target + "): measure a Socket.IO server with EchoLoadBenchmark,"
                    + " whose client speaks it (-p connections=1 -p loadModel=closed is its ping-pong)");
        }
        EchoPayload payload = EchoPayload.create(type, payloadBytes, seed, config.echoPrefixBytes());
        Socket socket = null;
        try {
            socket = connect(target, config);
            if (scheme.equals("wss")) {
                socket = startTls(socket, target, config);
            }
            socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, config.connectTimeout().toMillis()));
            BlockingEchoConnection connection = new BlockingEchoConnection(target, payload, config, socket);
            if (!scheme.equals("tcp")) {
                try {
                    connection.handshake();
                } catch (SocketTimeoutException e) {
                    throw new EchoFailedException(Kind.HANDSHAKE, "no WebSocket handshake answer from " + target
                            + " in time: is it a WebSocket server, and is the path right?", e);
                }
            }
            socket.setSoTimeout(0);
            EchoWatchdog.watch(connection);
            return connection;
        } catch (IOException | RuntimeException e) {
            closeQuietly(socket, e);
            if (e instanceof EchoFailedException failed) {
                throw failed;
            }
            throw connectFailure(target, e);
        }
    }

    private static Socket connect(URI target, ClientConfig config) throws IOException {
        SocketChannel channel = SocketChannel.open();
        Socket socket = channel.socket();
        try {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(target.getHost(), target.getPort()),
                    (int) Math.min(Integer.MAX_VALUE, config.connectTimeout().toMillis()));
            return socket;
        } catch (IOException e) {
            channel.close();
            throw e;
        }
    }

    private static Socket startTls(Socket plain, URI target, ClientConfig config) throws IOException {
        SSLContext context;
        try {
            context = SSLContext.getInstance("TLS");
            context.init(null, config.trustAllCertificates() ? InsecureTrustManagerFactory.INSTANCE.getTrustManagers() : null, null);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot set up TLS: " + e.getMessage(), e);
        }
        SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(plain, target.getHost(), target.getPort(), true);
        if (!config.trustAllCertificates()) {
            SSLParameters parameters = tls.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            tls.setSSLParameters(parameters);
        }
        tls.setSoTimeout((int) Math.min(Integer.MAX_VALUE, config.connectTimeout().toMillis()));
        try {
            tls.startHandshake();
        } catch (IOException e) {
            throw tlsFailure(target, e);
        }
        return tls;
    }

    private void handshake() throws IOException {
        byte[] keyBytes = new byte[16];
        new SecureRandom().nextBytes(keyBytes);
        String key = Base64.getEncoder().encodeToString(keyBytes);
        String path = target.getRawPath() == null || target.getRawPath().isEmpty() ? "/" : target.getRawPath();
        String query = target.getRawQuery() == null ? "" : "?" + target.getRawQuery();
        String request = "GET " + path + query + " HTTP/1.1\r\n"
                + "Host: " + target.getHost() + ":" + target.getPort() + "\r\n"
                + "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Version: 13\r\n\r\n";
        out.write(request.getBytes(StandardCharsets.US_ASCII));
        out.flush();
        int headEnd;
        while ((headEnd = endOfHead()) < 0) {
            if (writeIndex >= MAX_HANDSHAKE_RESPONSE_BYTES) {
                throw handshakeFailure("its answer to the upgrade request has no end of headers within "
                        + MAX_HANDSHAKE_RESPONSE_BYTES + " bytes; is it a WebSocket endpoint?");
            }
            if (!fill()) {
                throw handshakeFailure("it closed the connection during the handshake; check that a WebSocket server"
                        + " listens there and the path is right");
            }
        }
        String head = new String(received, 0, headEnd, StandardCharsets.ISO_8859_1);
        readIndex = headEnd + 4;
        String[] lines = head.split("\r\n");
        String[] status = lines[0].split(" ", 3);
        int code = status.length >= 2 && status[1].matches("\\d{3}") ? Integer.parseInt(status[1]) : -1;
        if (code != 101) {
            String hint = switch (code) {
                case 404 -> "nothing at that path: check the path in the target URI";
                case 401, 403 -> "the server refused the upgrade: it may want credentials or check the Origin";
                default -> "is it a WebSocket endpoint?";
            };
            String answered = status.length >= 2 ? lines[0].substring(lines[0].indexOf(' ') + 1) : lines[0];
            throw new EchoFailedException(Kind.HANDSHAKE, "WebSocket handshake with " + target + " refused: the server"
                    + " answered " + answered + " instead of 101 Switching Protocols; " + hint);
        }
        String expected = RawWebSocketConnection.acceptFor(key);
        for (String line : lines) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("Sec-WebSocket-Accept")) {
                if (line.substring(colon + 1).trim().equals(expected)) {
                    return;
                }
                throw handshakeFailure("it switched protocols but its Sec-WebSocket-Accept is wrong");
            }
        }
        throw handshakeFailure("it switched protocols but sent no Sec-WebSocket-Accept");
    }

    private int endOfHead() {
        for (int i = 3; i < writeIndex; i++) {
            if (received[i - 3] == '\r' && received[i - 2] == '\n' && received[i - 1] == '\r' && received[i] == '\n') {
                return i - 3;
            }
        }
        return -1;
    }

    private EchoFailedException handshakeFailure(String why) {
        return new EchoFailedException(Kind.HANDSHAKE, "WebSocket handshake with " + target + " failed: " + why);
    }

    public URI target() {
        return target;
    }

    /**
     * Sends the next message and reads its echo on this thread, verifying it byte for byte.
     *
     * @return nanoseconds from just before the write to just after the echo was read
     * @throws EchoFailedException if the echo is wrong, missing after the echo timeout, the connection closed, or the
     *     thread was interrupted while waiting
     */
    public long roundTrip() {
        long sequence = nextSequence;
        payload.writeSequence(message, 0, sequence);
        int field = payload.sequenceBytes();
        for (int i = 0; i < field; i++) {
            frame[payloadOffset + i] = (byte) (message[i] ^ mask[i & 3]);
        }
        long start = System.nanoTime();
        waitingSince = start;
        try {
            out.write(frame);
            out.flush();
            int length = websocket ? readWebSocketEcho(sequence) : readRawEcho(sequence);
            long end = System.nanoTime();
            waitingSince = 0;
            String problem = payload.verify(echoView.setIndex(0, length), sequence, 1);
            if (problem != null) {
                Kind kind = problem.startsWith("echoes out of order") ? Kind.OUT_OF_ORDER : Kind.CORRUPTED;
                throw new EchoFailedException(kind, problem + " (from " + target + ")");
            }
            nextSequence++;
            return end - start;
        } catch (ClosedByInterruptException e) {
            throw new EchoFailedException(Kind.TIMEOUT, "interrupted after waiting "
                    + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) + " ms for the echo of message #" + sequence
                    + " from " + target + " (echo timeout " + echoTimeoutMillis + " ms): JMH interrupts a benchmark that"
                    + " runs past its iteration timeout (-to); the server stalled or dropped the message, or -to is shorter"
                    + " than the iteration (-r) plus one echo", e);
        } catch (IOException | EchoFailedException e) {
            if (timedOut) {
                throw new EchoFailedException(Kind.TIMEOUT, "no echo of message #" + sequence + " from " + target + " within "
                        + echoTimeoutMillis + " ms: the server stalled or dropped it", e);
            }
            if (e instanceof EchoFailedException failed) {
                throw failed;
            }
            throw new EchoFailedException(Kind.CONNECTION_CLOSED, "connection to " + target + " failed while waiting for"
                    + " the echo of message #" + sequence + ": " + e.getMessage(), e);
        } finally {
            waitingSince = 0;
        }
    }

    /** Called by the watchdog: closes the socket if a round trip has waited longer than the echo timeout. */
    void endIfWaitingTooLong(long nowNanos) {
        long since = waitingSince;
        if (since != 0 && nowNanos - since > echoTimeoutNanos) {
            timedOut = true;
            closeQuietly(socket, null);
        }
    }

    /** Reads one whole echo (continuations appended, pings answered) into {@link #echo}; returns its length. */
    private int readWebSocketEcho(long sequence) throws IOException {
        int length = 0;
        int messageOpcode = -1;
        for (int control = 0; control <= MAX_CONTROL_FRAMES_PER_ECHO; ) {
            require(2, sequence);
            int b0 = received[readIndex] & 0xFF;
            int b1 = received[readIndex + 1] & 0xFF;
            boolean fin = (b0 & 0x80) != 0;
            int opcode = b0 & 0x0F;
            if ((b1 & 0x80) != 0) {
                throw new EchoFailedException(Kind.UNEXPECTED, "server " + target + " sent a masked frame (RFC 6455 forbids it)");
            }
            int lengthCode = b1 & 0x7F;
            int header = 2 + (lengthCode == 126 ? 2 : lengthCode == 127 ? 8 : 0);
            require(header, sequence);
            long frameLength = lengthCode < 126 ? lengthCode : 0;
            for (int i = 2; i < header; i++) {
                frameLength = (frameLength << 8) | (received[readIndex + i] & 0xFF);
            }
            if (frameLength < 0 || length + frameLength > maxMessageBytes) {
                throw new EchoFailedException(Kind.CORRUPTED, "echo of message #" + sequence + " from " + target
                        + " is over the " + maxMessageBytes + "-byte message limit (a frame of " + frameLength + " bytes)");
            }
            readIndex += header;
            int bytes = (int) frameLength;
            if (opcode >= Opcode.CLOSE) {
                control++;
                byte[] body = readBody(bytes, sequence);
                if (opcode == Opcode.CLOSE) {
                    int code = body.length >= 2 ? ((body[0] & 0xFF) << 8) | (body[1] & 0xFF) : 1005;
                    String reason = body.length > 2 ? new String(body, 2, body.length - 2, StandardCharsets.UTF_8) : "";
                    // Worded as the Netty client words it, so a fault reads the same in every benchmark.
                    throw new EchoFailedException(Kind.CONNECTION_CLOSED, "server " + target + " closed the connection (code "
                            + code + " '" + reason + "') with 1 messages in flight (message #" + sequence + ")");
                }
                if (opcode == Opcode.PING) {
                    sendPong(body);
                }
                continue;
            }
            if (messageOpcode < 0) {
                if (opcode == Opcode.CONTINUATION) {
                    throw new EchoFailedException(Kind.UNEXPECTED, "server " + target + " sent a continuation frame with no"
                            + " message started");
                }
                messageOpcode = opcode;
            } else if (opcode != Opcode.CONTINUATION) {
                throw new EchoFailedException(Kind.UNEXPECTED, "server " + target + " started a new message inside a"
                        + " fragmented one");
            }
            if (echo.length < length + bytes) {
                echo = Arrays.copyOf(echo, length + bytes);
                echoView = Unpooled.wrappedBuffer(echo);
            }
            copyBody(echo, length, bytes, sequence);
            length += bytes;
            if (fin) {
                MessageType expected = payload.type();
                int expectedOpcode = expected == MessageType.TEXT ? Opcode.TEXT : Opcode.BINARY;
                if (messageOpcode != expectedOpcode) {
                    throw new EchoFailedException(Kind.CORRUPTED, "echo of " + expected.name().toLowerCase(Locale.ROOT)
                            + " message #" + sequence + " came back as opcode " + messageOpcode);
                }
                return length;
            }
        }
        throw new EchoFailedException(Kind.UNEXPECTED, "server " + target + " sent more than " + MAX_CONTROL_FRAMES_PER_ECHO
                + " control frames while message #" + sequence + " waited for its echo");
    }

    /** The raw-TCP floor echoes the length prefix and the message unparsed: read both, check the prefix. */
    private int readRawEcho(long sequence) throws IOException {
        int prefix = MessageLimits.RAW_TCP_LENGTH_PREFIX_BYTES;
        require(prefix, sequence);
        long length = 0;
        for (int i = 0; i < prefix; i++) {
            length = (length << 8) | (received[readIndex + i] & 0xFF);
        }
        if (length != payload.echoSize()) {
            throw new EchoFailedException(Kind.CORRUPTED, "echo of message #" + sequence + " from " + target
                    + " has a length prefix of " + length + ", expected " + payload.echoSize());
        }
        readIndex += prefix;
        copyBody(echo, 0, (int) length, sequence);
        return (int) length;
    }

    private byte[] readBody(int bytes, long sequence) throws IOException {
        byte[] body = new byte[bytes];
        copyBody(body, 0, bytes, sequence);
        return body;
    }

    /** Copies the next {@code bytes} received bytes into {@code into}, reading the socket as needed. */
    private void copyBody(byte[] into, int offset, int bytes, long sequence) throws IOException {
        int copied = 0;
        while (copied < bytes) {
            if (readIndex == writeIndex && !fill()) {
                throw closedWhileWaiting(sequence);
            }
            int n = Math.min(bytes - copied, writeIndex - readIndex);
            System.arraycopy(received, readIndex, into, offset + copied, n);
            readIndex += n;
            copied += n;
        }
    }

    /** Makes sure {@code bytes} received bytes are buffered from {@link #readIndex}. */
    private void require(int bytes, long sequence) throws IOException {
        while (writeIndex - readIndex < bytes) {
            if (!fill()) {
                throw closedWhileWaiting(sequence);
            }
        }
    }

    /** Reads what the socket has into the buffer (compacting it first); false at end of stream. */
    private boolean fill() throws IOException {
        if (readIndex == writeIndex) {
            readIndex = 0;
            writeIndex = 0;
        } else if (writeIndex == received.length) {
            System.arraycopy(received, readIndex, received, 0, writeIndex - readIndex);
            writeIndex -= readIndex;
            readIndex = 0;
        }
        int n = in.read(received, writeIndex, received.length - writeIndex);
        if (n < 0) {
            return false;
        }
        writeIndex += n;
        return true;
    }

    private EchoFailedException closedWhileWaiting(long sequence) {
        return new EchoFailedException(Kind.CONNECTION_CLOSED, "server " + target + " closed the connection with 1 messages"
                + " in flight; did it crash or reject the messages? (message #" + sequence + " waited for its echo)");
    }

    private void sendPong(byte[] body) throws IOException {
        byte[] pong = new byte[2 + 4 + body.length];
        pong[0] = (byte) (0x80 | Opcode.PONG);
        pong[1] = (byte) (0x80 | body.length);
        System.arraycopy(mask, 0, pong, 2, 4);
        for (int i = 0; i < body.length; i++) {
            pong[6 + i] = (byte) (body[i] ^ mask[i & 3]);
        }
        out.write(pong);
    }

    /** Sends a close frame (1000) where there is a WebSocket, waits briefly for the server's, then closes the socket. */
    @Override
    public void close() {
        EchoWatchdog.forget(this);
        try {
            if (websocket && !socket.isClosed()) {
                out.write(new byte[] {(byte) (0x80 | Opcode.CLOSE), (byte) 0x82, mask[0], mask[1], mask[2], mask[3],
                        (byte) (0x03 ^ mask[0]), (byte) (0xE8 ^ mask[1])});
                out.flush();
                socket.setSoTimeout((int) CLOSE_DRAIN.toMillis());
                // Drain until the server closes (its close frame and nothing we need), for at most CLOSE_DRAIN in
                // all: a server that keeps sending would otherwise keep this loop going.
                long deadline = System.nanoTime() + CLOSE_DRAIN.toNanos();
                while (System.nanoTime() - deadline < 0 && fill()) {
                    readIndex = writeIndex;
                }
            }
        } catch (IOException alreadyGone) {
            // The server closed first or the socket was interrupted: closing the socket below is all that is left.
        } finally {
            closeQuietly(socket, null);
        }
    }

    private static void closeQuietly(Socket socket, Exception failure) {
        if (socket == null) {
            return;
        }
        try {
            socket.close();
        } catch (IOException e) {
            if (failure != null) {
                failure.addSuppressed(e);
            }
        }
    }

    private static EchoFailedException connectFailure(URI target, Exception e) {
        if (e instanceof ConnectException) {
            return new EchoFailedException(Kind.CONNECT, "could not connect to " + target.getHost() + ":" + target.getPort()
                    + " (" + target + "): " + e.getMessage() + "; is the server running and listening there?", e);
        }
        if (e instanceof SocketTimeoutException) {
            return new EchoFailedException(Kind.CONNECT, "could not connect to " + target + " in time: the host does not"
                    + " answer; check the address and that the server is up", e);
        }
        return new EchoFailedException(Kind.CONNECT, "could not connect to " + target + ": " + e, e);
    }

    /** Why the TLS handshake failed, and what to do: an untrusted certificate is the usual case with test servers. */
    private static EchoFailedException tlsFailure(URI target, IOException cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof CertificateException || String.valueOf(t.getMessage()).contains("PKIX")) {
                return new EchoFailedException(Kind.TLS, "TLS handshake with " + target + " failed: certificate not trusted ("
                        + t.getMessage() + "): add -p trustAllCertificates=true for a self-signed test server,"
                        + " or add its CA to the JDK trust store", cause);
            }
        }
        String why = cause instanceof SSLException || cause instanceof SocketTimeoutException ? cause.getMessage() : cause.toString();
        return new EchoFailedException(Kind.TLS, "TLS handshake with " + target + " failed: " + why
                + "; does the server offer TLS on that port? use ws:// for a server without TLS", cause);
    }
}
