package io.wsbench.client;

import io.wsbench.server.ServerConfig;
import io.wsbench.server.Transport;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;

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
 * </ul>
 */
public record ClientConfig(
        int ioThreads,
        Transport transport,
        Duration connectTimeout,
        Duration echoTimeout,
        int maxMessageBytes,
        int maxInFlightPerConnection,
        boolean trustAllCertificates,
        String echoPrefix) {

    public ClientConfig {
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(echoTimeout, "echoTimeout");
        Objects.requireNonNull(echoPrefix, "echoPrefix");
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

    /** One event loop, 5 s to connect, 5 s for an echo, the servers' 1 MiB message limit, JDK trust store, exact echoes. */
    public static ClientConfig defaults() {
        return new ClientConfig(1, Transport.AUTO, Duration.ofSeconds(5), Duration.ofSeconds(5),
                ServerConfig.DEFAULT_MAX_MESSAGE_BYTES, 100_000, false, "");
    }

    /** The echo prefix as the bytes expected on the wire. */
    public byte[] echoPrefixBytes() {
        return echoPrefix.getBytes(StandardCharsets.UTF_8);
    }

    public ClientConfig withIoThreads(int threads) {
        return new ClientConfig(threads, transport, connectTimeout, echoTimeout, maxMessageBytes, maxInFlightPerConnection,
                trustAllCertificates, echoPrefix);
    }

    public ClientConfig withTransport(Transport newTransport) {
        return new ClientConfig(ioThreads, newTransport, connectTimeout, echoTimeout, maxMessageBytes, maxInFlightPerConnection,
                trustAllCertificates, echoPrefix);
    }

    public ClientConfig withConnectTimeout(Duration timeout) {
        return new ClientConfig(ioThreads, transport, timeout, echoTimeout, maxMessageBytes, maxInFlightPerConnection,
                trustAllCertificates, echoPrefix);
    }

    public ClientConfig withEchoTimeout(Duration timeout) {
        return new ClientConfig(ioThreads, transport, connectTimeout, timeout, maxMessageBytes, maxInFlightPerConnection,
                trustAllCertificates, echoPrefix);
    }

    public ClientConfig withMaxMessageBytes(int bytes) {
        return new ClientConfig(ioThreads, transport, connectTimeout, echoTimeout, bytes, maxInFlightPerConnection,
                trustAllCertificates, echoPrefix);
    }

    public ClientConfig withMaxInFlightPerConnection(int max) {
        return new ClientConfig(ioThreads, transport, connectTimeout, echoTimeout, maxMessageBytes, max,
                trustAllCertificates, echoPrefix);
    }

    public ClientConfig withTrustAllCertificates(boolean trustAll) {
        return new ClientConfig(ioThreads, transport, connectTimeout, echoTimeout, maxMessageBytes, maxInFlightPerConnection,
                trustAll, echoPrefix);
    }

    public ClientConfig withEchoPrefix(String prefix) {
        return new ClientConfig(ioThreads, transport, connectTimeout, echoTimeout, maxMessageBytes, maxInFlightPerConnection,
                trustAllCertificates, prefix);
    }
}
