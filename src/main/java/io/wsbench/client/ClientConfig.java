package io.wsbench.client;

import io.wsbench.wire.EchoProtocol;
import io.wsbench.wire.MessageLimits;
import io.wsbench.wire.Transport;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.Properties;

/**
 * Settings of the load client.
 *
 * <ul>
 *   <li>{@code ioThreads}: client event loops; 1 by default, so client and server each have a core;
 *   <li>{@code connectTimeout}: TCP connect plus TLS and WebSocket handshakes;
 *   <li>{@code echoTimeout}: the longest a message may wait for its echo before the run fails;
 *   <li>{@code maxMessageBytes}: the largest echo accepted, the same limit the servers use;
 *   <li>{@code maxInFlightPerConnection}: an open-loop sender that outruns the server fails here
 *       instead of queueing without bound;
 *   <li>{@code trustAllCertificates}: for {@code wss://}, accept any certificate and skip the host
 *       name check (a self-signed test server); off by default, so the JDK trust store decides;
 *   <li>{@code echoPrefix}: text the server puts in front of every echo (e.g. {@code "Echo: "}); the
 *       expected echo is its UTF-8 bytes followed by the message sent, for text and binary messages
 *       alike. Empty by default: the echo must equal the message.
 *   <li>{@code protocol}: plain WebSocket messages (the default), or Socket.IO events over WebSocket, where
 *       the prefix and the message are inside the event's JSON string ({@link io.wsbench.client.framing});
 *   <li>{@code compression}: offer permessage-deflate in the handshake and fail the connection when the server does
 *       not accept it; off by default;
 *   <li>{@code payloadContent}: what the bytes of each message are ({@link PayloadContent}): fixed by default.
 * </ul>
 *
 * <p>A benchmark's forked JVM takes its timeouts from system properties ({@link #withTimeoutsFrom}), not
 * from {@code @Param}s: they decide when a run gives up, not what it measures, so changing them must not
 * split results that would otherwise compare, e.g. {@code -jvmArgsAppend -Dwsbench.echoTimeoutMillis=10000}.
 */
public record ClientConfig(
        int ioThreads,
        Transport transport,
        Duration connectTimeout,
        Duration echoTimeout,
        int maxMessageBytes,
        int maxInFlightPerConnection,
        boolean trustAllCertificates,
        String echoPrefix,
        EchoProtocol protocol,
        boolean compression,
        PayloadContent payloadContent) {

    /** System property with the echo timeout in milliseconds, read by {@link #withTimeoutsFrom}. */
    public static final String ECHO_TIMEOUT_PROPERTY = "wsbench.echoTimeoutMillis";

    /** System property with the connect timeout in milliseconds, read by {@link #withTimeoutsFrom}. */
    public static final String CONNECT_TIMEOUT_PROPERTY = "wsbench.connectTimeoutMillis";

    /** The most bytes JSON escaping makes of one byte of text, here the six of a JSON escape for a control character. */
    private static final int SOCKETIO_ESCAPE_FACTOR = 6;
    /** A Socket.IO event's bytes around its text: {@code 42["response",""]}. */
    private static final int SOCKETIO_ENVELOPE_BYTES = 32;

    public ClientConfig {
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(echoTimeout, "echoTimeout");
        Objects.requireNonNull(echoPrefix, "echoPrefix");
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(payloadContent, "payloadContent");
        if (ioThreads < 1) {
            throw new IllegalArgumentException("ioThreads must be at least 1, was " + ioThreads);
        }
        if (connectTimeout.isNegative() || connectTimeout.isZero() || echoTimeout.isNegative() || echoTimeout.isZero()) {
            throw new IllegalArgumentException("timeouts must be positive");
        }
        if (maxInFlightPerConnection < 1) {
            throw new IllegalArgumentException("maxInFlightPerConnection must be at least 1");
        }
    }

    /** One event loop, 5 s to connect, 5 s for an echo, the servers' 1 MiB message limit, JDK trust store, exact echoes, plain WebSocket. */
    public static ClientConfig defaults() {
        return new ClientConfig(1, Transport.AUTO, Duration.ofSeconds(5), Duration.ofSeconds(5),
                MessageLimits.DEFAULT_MAX_MESSAGE_BYTES, 100_000, false, "", EchoProtocol.WEBSOCKET, false, PayloadContent.FIXED);
    }

    /**
     * This configuration with the echo and connect timeouts that {@code properties} set under {@value
     * #ECHO_TIMEOUT_PROPERTY} and {@value #CONNECT_TIMEOUT_PROPERTY}; a timeout not set there is kept.
     *
     * @throws IllegalArgumentException if a value is not a positive whole number of milliseconds
     */
    public ClientConfig withTimeoutsFrom(Properties properties) {
        return withEchoTimeout(timeoutFrom(properties, ECHO_TIMEOUT_PROPERTY, echoTimeout))
                .withConnectTimeout(timeoutFrom(properties, CONNECT_TIMEOUT_PROPERTY, connectTimeout));
    }

    private static Duration timeoutFrom(Properties properties, String name, Duration current) {
        String value = properties.getProperty(name);
        if (value == null) {
            return current;
        }
        long millis;
        try {
            millis = Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw notMilliseconds(name, value, current, e);
        }
        if (millis <= 0) {
            throw notMilliseconds(name, value, current, null);
        }
        return Duration.ofMillis(millis);
    }

    private static IllegalArgumentException notMilliseconds(String name, String value, Duration current, Throwable cause) {
        return new IllegalArgumentException("-D" + name + "=" + value + " is not a positive whole number of milliseconds;"
                + " pass e.g. -jvmArgsAppend -D" + name + "=10000 (default " + current.toMillis() + ")", cause);
    }

    /**
     * Checks that messages of {@code payloadBytes}, and their echoes with the echo prefix in front, fit the
     * maximum message size, so a benchmark can refuse a payload before it starts any server.
     *
     * @throws IllegalArgumentException naming the sizes and what to lower
     */
    public void requireMessageFits(int payloadBytes) {
        if (payloadBytes > maxMessageBytes) {
            throw new IllegalArgumentException("payloadBytes=" + payloadBytes + " is above the maximum message size of "
                    + maxMessageBytes + " bytes that the client and the embedded servers accept; use payloadBytes <= "
                    + maxMessageBytes);
        }
        int echoBytes = echoPrefixBytes().length + payloadBytes;
        if (echoBytes > maxMessageBytes) {
            throw new IllegalArgumentException("echo of " + echoBytes + " bytes (echoPrefix + payloadBytes=" + payloadBytes
                    + ") is above the maximum message size of " + maxMessageBytes + " bytes; lower payloadBytes");
        }
        if (protocol == EchoProtocol.SOCKETIO && (long) echoBytes * SOCKETIO_ESCAPE_FACTOR + SOCKETIO_ENVELOPE_BYTES > maxMessageBytes) {
            throw new IllegalArgumentException("payloadBytes=" + payloadBytes + " is too large for Socket.IO: an event carries"
                    + " its text JSON-escaped (up to " + SOCKETIO_ESCAPE_FACTOR + " bytes per byte) in a WebSocket message of at"
                    + " most " + maxMessageBytes + " bytes; use payloadBytes <= "
                    + ((maxMessageBytes - SOCKETIO_ENVELOPE_BYTES) / SOCKETIO_ESCAPE_FACTOR - echoPrefixBytes().length));
        }
    }

    /**
     * Checks that this configuration's protocol can carry {@code type} messages to {@code target}: Socket.IO runs over
     * WebSocket only, and this client sends its events as text only.
     *
     * @throws IllegalArgumentException naming what does not fit
     */
    public void requireProtocolFits(URI target, MessageType type) {
        if (protocol != EchoProtocol.SOCKETIO) {
            return;
        }
        if ("tcp".equals(target.getScheme())) {
            throw new IllegalArgumentException("protocol socketio runs over WebSocket, not over the raw-TCP target " + target);
        }
        if (type != MessageType.TEXT) {
            throw new IllegalArgumentException("protocol socketio sends text events only, not " + type.name().toLowerCase()
                    + " messages; use -p type=text");
        }
    }

    /** The echo prefix as the bytes expected on the wire. */
    public byte[] echoPrefixBytes() {
        return echoPrefix.getBytes(StandardCharsets.UTF_8);
    }

    public ClientConfig withIoThreads(int threads) {
        return new ClientConfig(threads, transport, connectTimeout, echoTimeout, maxMessageBytes, maxInFlightPerConnection,
                trustAllCertificates, echoPrefix, protocol, compression, payloadContent);
    }

    public ClientConfig withTransport(Transport newTransport) {
        return new ClientConfig(ioThreads, newTransport, connectTimeout, echoTimeout, maxMessageBytes, maxInFlightPerConnection,
                trustAllCertificates, echoPrefix, protocol, compression, payloadContent);
    }

    public ClientConfig withConnectTimeout(Duration timeout) {
        return new ClientConfig(ioThreads, transport, timeout, echoTimeout, maxMessageBytes, maxInFlightPerConnection,
                trustAllCertificates, echoPrefix, protocol, compression, payloadContent);
    }

    public ClientConfig withEchoTimeout(Duration timeout) {
        return new ClientConfig(ioThreads, transport, connectTimeout, timeout, maxMessageBytes, maxInFlightPerConnection,
                trustAllCertificates, echoPrefix, protocol, compression, payloadContent);
    }

    public ClientConfig withMaxMessageBytes(int bytes) {
        return new ClientConfig(ioThreads, transport, connectTimeout, echoTimeout, bytes, maxInFlightPerConnection,
                trustAllCertificates, echoPrefix, protocol, compression, payloadContent);
    }

    public ClientConfig withMaxInFlightPerConnection(int max) {
        return new ClientConfig(ioThreads, transport, connectTimeout, echoTimeout, maxMessageBytes, max,
                trustAllCertificates, echoPrefix, protocol, compression, payloadContent);
    }

    public ClientConfig withTrustAllCertificates(boolean trustAll) {
        return new ClientConfig(ioThreads, transport, connectTimeout, echoTimeout, maxMessageBytes, maxInFlightPerConnection,
                trustAll, echoPrefix, protocol, compression, payloadContent);
    }

    public ClientConfig withProtocol(EchoProtocol newProtocol) {
        return new ClientConfig(ioThreads, transport, connectTimeout, echoTimeout, maxMessageBytes, maxInFlightPerConnection,
                trustAllCertificates, echoPrefix, newProtocol, compression, payloadContent);
    }

    public ClientConfig withEchoPrefix(String prefix) {
        return new ClientConfig(ioThreads, transport, connectTimeout, echoTimeout, maxMessageBytes, maxInFlightPerConnection,
                trustAllCertificates, prefix, protocol, compression, payloadContent);
    }

    public ClientConfig withCompression(boolean on) {
        return new ClientConfig(ioThreads, transport, connectTimeout, echoTimeout, maxMessageBytes, maxInFlightPerConnection,
                trustAllCertificates, echoPrefix, protocol, on, payloadContent);
    }

    public ClientConfig withPayloadContent(PayloadContent content) {
        return new ClientConfig(ioThreads, transport, connectTimeout, echoTimeout, maxMessageBytes, maxInFlightPerConnection,
                trustAllCertificates, echoPrefix, protocol, compression, content);
    }
}
