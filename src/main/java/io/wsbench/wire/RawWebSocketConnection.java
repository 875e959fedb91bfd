package io.wsbench.wire;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A WebSocket client connection over a plain {@link Socket} that does its own HTTP/1.1 upgrade
 * (RFC 6455 §4.1) and then writes and reads raw frames through {@link FrameCodec}. It adds
 * nothing of its own: no automatic pong, no close reply, no validation of what it is asked to
 * send. Every read has a timeout. One thread may read while another writes.
 */
public final class RawWebSocketConnection implements AutoCloseable {

    /** §1.3: the GUID appended to Sec-WebSocket-Key before hashing. */
    private static final String ACCEPT_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    /** Bounds the response head we are willing to read, so a misbehaving peer can't make us loop. */
    private static final int MAX_RESPONSE_HEAD_BYTES = 16 * 1024;
    /** Largest frame payload accepted from the server: room for echoes of over-limit test messages. */
    public static final int MAX_INCOMING_PAYLOAD_BYTES = 64 * 1024 * 1024;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final FrameCodec codec = new FrameCodec();
    /** The extensions the client offered in its upgrade request, "" for none. */
    private final String extensionOffer;
    /** The server's Sec-WebSocket-Extensions answer, "" when it accepted none. */
    private String acceptedExtensions = "";

    private RawWebSocketConnection(Socket socket, InputStream in, String extensionOffer) throws IOException {
        this.socket = socket;
        this.in = in;
        this.out = socket.getOutputStream();
        this.extensionOffer = extensionOffer;
    }

    /**
     * Connects to {@code ws://host:port/path} and completes the opening handshake.
     *
     * @param timeout bounds the TCP connect and every read of the handshake response
     * @throws HandshakeException the server did not answer with a valid 101 upgrade
     * @throws IOException        connecting or reading failed or timed out
     */
    public static RawWebSocketConnection open(URI target, Duration timeout) throws IOException {
        return open(target, timeout, "");
    }

    /**
     * As {@link #open(URI, Duration)}, offering {@code extensionOffer} as the request's Sec-WebSocket-Extensions
     * (none when empty); what the server accepted is {@link #acceptedExtensions()}.
     */
    public static RawWebSocketConnection open(URI target, Duration timeout, String extensionOffer) throws IOException {
        if (!"ws".equalsIgnoreCase(target.getScheme()) || target.getHost() == null || target.getPort() < 0) {
            throw new IllegalArgumentException("expected ws://HOST:PORT/PATH, got " + target);
        }
        int timeoutMillis = toMillis(timeout);
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(target.getHost(), target.getPort()), timeoutMillis);
            socket.setSoTimeout(timeoutMillis);
            InputStream in = new BufferedInputStream(socket.getInputStream());
            RawWebSocketConnection connection = new RawWebSocketConnection(socket, in, extensionOffer);
            connection.handshake(target);
            return connection;
        } catch (IOException | RuntimeException e) {
            closeAfterFailure(socket, e);
            throw e;
        }
    }

    private void handshake(URI target) throws IOException {
        byte[] nonce = new byte[16];
        new SecureRandom().nextBytes(nonce);
        String key = Base64.getEncoder().encodeToString(nonce);
        String path = target.getRawPath() == null || target.getRawPath().isEmpty() ? "/" : target.getRawPath();
        if (target.getRawQuery() != null) {
            path += "?" + target.getRawQuery();
        }
        String request = "GET " + path + " HTTP/1.1\r\n"
                + "Host: " + target.getHost() + ":" + target.getPort() + "\r\n"
                + "Upgrade: websocket\r\n"
                + "Connection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + key + "\r\n"
                + "Sec-WebSocket-Version: 13\r\n"
                + (extensionOffer.isEmpty() ? "" : "Sec-WebSocket-Extensions: " + extensionOffer + "\r\n")
                + "\r\n";
        out.write(request.getBytes(StandardCharsets.US_ASCII));
        out.flush();

        String head = readResponseHead(target);
        String[] lines = head.split("\r\n");
        String statusLine = lines[0];
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.merge(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                        lines[i].substring(colon + 1).trim(), (a, b) -> a + ", " + b);
            }
        }
        String[] status = statusLine.split(" ", 3);
        if (status.length < 2 || !status[0].startsWith("HTTP/1.") || !status[1].equals("101")) {
            throw new HandshakeException(target + " answered '" + statusLine + "' instead of '101 Switching Protocols'"
                    + ": check that a WebSocket endpoint is mounted at path " + path + " on that port");
        }
        String upgrade = headers.getOrDefault("upgrade", "");
        if (!upgrade.equalsIgnoreCase("websocket")) {
            throw new HandshakeException(target + " answered 101 with 'Upgrade: " + upgrade
                    + "' instead of 'Upgrade: websocket' (RFC 6455 §4.1): the server is not speaking WebSocket");
        }
        boolean connectionUpgrade = false;
        for (String token : headers.getOrDefault("connection", "").split(",")) {
            connectionUpgrade |= token.trim().equalsIgnoreCase("upgrade");
        }
        if (!connectionUpgrade) {
            throw new HandshakeException(target + " answered 101 without 'Connection: Upgrade' (RFC 6455 §4.1)");
        }
        String expectedAccept = acceptFor(key);
        String accept = headers.get("sec-websocket-accept");
        if (!expectedAccept.equals(accept)) {
            throw new HandshakeException(target + " answered 101 with Sec-WebSocket-Accept '" + accept
                    + "' but the key '" + key + "' requires '" + expectedAccept + "' (RFC 6455 §4.1)");
        }
        if (headers.containsKey("sec-websocket-extensions") && !extensionOffer.isEmpty()) {
            acceptedExtensions = headers.get("sec-websocket-extensions");
        } else if (headers.containsKey("sec-websocket-extensions")) {
            // No extension was offered, so none may be accepted; RSV-bit cases would be meaningless otherwise.
            throw new HandshakeException(target + " accepted extensions '" + headers.get("sec-websocket-extensions")
                    + "' that were not offered (RFC 6455 §4.1)");
        }
    }

    /** Reads up to and including the blank line that ends the response head, leaving frames in the buffer. */
    private String readResponseHead(URI target) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] terminator = {'\r', '\n', '\r', '\n'};
        while (matched < terminator.length) {
            int b = in.read();
            if (b < 0) {
                throw new HandshakeException(target + " closed the connection after " + head.size()
                        + " bytes of handshake response"
                        + (head.size() > 0 ? " ('" + firstLine(head) + "')" : "")
                        + ": is it a WebSocket server, and is it still running?");
            }
            head.write(b);
            matched = b == terminator[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
            if (head.size() > MAX_RESPONSE_HEAD_BYTES) {
                throw new HandshakeException(target + " sent more than " + MAX_RESPONSE_HEAD_BYTES
                        + " bytes without ending its response head ('" + firstLine(head) + "')");
            }
        }
        return head.toString(StandardCharsets.ISO_8859_1).substring(0, head.size() - terminator.length);
    }

    private static String firstLine(ByteArrayOutputStream head) {
        String text = head.toString(StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n");
        return end >= 0 ? text.substring(0, end) : text;
    }

    /** §4.2.2: base64 of the SHA-1 of the key and the GUID. */
    public static String acceptFor(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1")
                    .digest((key + ACCEPT_GUID).getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-1, which every Java SE runtime must provide", e);
        }
    }

    /** What the server answered in Sec-WebSocket-Extensions, "" when it accepted none (or none was offered). */
    public String acceptedExtensions() {
        return acceptedExtensions;
    }

    /** Writes the frame, masked with a fresh random key if it asks to be masked. */
    public void send(Frame frame) throws IOException {
        out.write(codec.encode(frame));
        out.flush();
    }

    /** The frame as this connection writes it: masked with a fresh random key if it asks to be masked. */
    public byte[] encode(Frame frame) {
        return codec.encode(frame);
    }

    /**
     * Writes already encoded bytes in pieces of {@code chopBytes}, each flushed on its own, so that the server reads
     * the stream split at awkward places; 0 writes them in one piece.
     */
    public void sendBytes(byte[] wire, int chopBytes) throws IOException {
        if (chopBytes < 0) {
            throw new IllegalArgumentException("chopBytes must be 0 (one piece) or positive, was " + chopBytes);
        }
        int piece = chopBytes == 0 ? Math.max(1, wire.length) : chopBytes;
        for (int start = 0; start < wire.length; start += piece) {
            out.write(wire, start, Math.min(piece, wire.length - start));
            out.flush();
        }
    }

    /**
     * Reads the next frame, waiting at most {@code timeout}.
     *
     * @throws java.net.SocketTimeoutException nothing (or only part of a frame) arrived in time
     * @throws java.io.EOFException            the server closed the TCP connection
     * @throws MalformedFrameException         the server sent an unparseable or oversized frame
     */
    public Frame readFrame(Duration timeout) throws IOException {
        socket.setSoTimeout(toMillis(timeout));
        return FrameCodec.decode(in, MAX_INCOMING_PAYLOAD_BYTES);
    }

    /**
     * Reads the next frame, waiting at most {@code firstByteTimeout} for it to start and then up to {@code
     * restTimeout} for each further read, so that a short poll does not cut a large frame in half.
     *
     * @throws java.net.SocketTimeoutException no byte of a new frame arrived within {@code firstByteTimeout}
     */
    public Frame readFrame(Duration firstByteTimeout, Duration restTimeout) throws IOException {
        socket.setSoTimeout(toMillis(firstByteTimeout));
        in.mark(1);
        if (in.read() < 0) {
            throw new java.io.EOFException("stream ended between frames");
        }
        in.reset();
        socket.setSoTimeout(toMillis(restTimeout));
        return FrameCodec.decode(in, MAX_INCOMING_PAYLOAD_BYTES);
    }

    /** Closes the TCP connection without a closing handshake; idempotent. */
    @Override
    public void close() throws IOException {
        socket.close();
    }

    private static int toMillis(Duration timeout) {
        long millis = timeout.toMillis();
        if (millis < 1) {
            // SO_TIMEOUT 0 would mean "wait forever"; the shortest real wait is 1 ms.
            return 1;
        }
        return (int) Math.min(millis, Integer.MAX_VALUE);
    }

    private static void closeAfterFailure(Socket socket, Exception cause) {
        try {
            socket.close();
        } catch (IOException closeFailure) {
            cause.addSuppressed(closeFailure);
        }
    }
}
