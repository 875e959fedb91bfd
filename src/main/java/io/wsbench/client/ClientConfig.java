package io.wsbench.client;

import io.wsbench.server.ServerConfig;
import io.wsbench.server.Transport;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the load client.
 *
 * <ul>
 *   <li>{@code ioThreads}: client event loops; 1 by default, so client and server each have a core;
 *   <li>{@code connectTimeout}: TCP connect plus WebSocket handshake;
 *   <li>{@code echoTimeout}: the longest a message may wait for its echo before the run fails;
 *   <li>{@code maxMessageBytes}: the largest echo accepted, the same limit the servers use;
 *   <li>{@code maxInFlightPerConnection}: an open-loop sender that outruns the server fails here
 *       instead of queueing without bound.
 * </ul>
 */
public record ClientConfig(
        int ioThreads,
        Transport transport,
        Duration connectTimeout,
        Duration echoTimeout,
        int maxMessageBytes,
        int maxInFlightPerConnection) {

    public ClientConfig {
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(echoTimeout, "echoTimeout");
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

    /** One event loop, 5 s to connect, 5 s for an echo, the servers' 1 MiB message limit. */
    public static ClientConfig defaults() {
        return new ClientConfig(1, Transport.AUTO, Duration.ofSeconds(5), Duration.ofSeconds(5),
                ServerConfig.DEFAULT_MAX_MESSAGE_BYTES, 100_000);
    }

    public ClientConfig withIoThreads(int threads) {
        return new ClientConfig(threads, transport, connectTimeout, echoTimeout, maxMessageBytes, maxInFlightPerConnection);
    }

    public ClientConfig withTransport(Transport newTransport) {
        return new ClientConfig(ioThreads, newTransport, connectTimeout, echoTimeout, maxMessageBytes, maxInFlightPerConnection);
    }

    public ClientConfig withConnectTimeout(Duration timeout) {
        return new ClientConfig(ioThreads, transport, timeout, echoTimeout, maxMessageBytes, maxInFlightPerConnection);
    }

    public ClientConfig withEchoTimeout(Duration timeout) {
        return new ClientConfig(ioThreads, transport, connectTimeout, timeout, maxMessageBytes, maxInFlightPerConnection);
    }

    public ClientConfig withMaxMessageBytes(int bytes) {
        return new ClientConfig(ioThreads, transport, connectTimeout, echoTimeout, bytes, maxInFlightPerConnection);
    }

    public ClientConfig withMaxInFlightPerConnection(int max) {
        return new ClientConfig(ioThreads, transport, connectTimeout, echoTimeout, maxMessageBytes, max);
    }
}
