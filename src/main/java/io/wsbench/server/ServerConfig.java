package io.wsbench.server;

import io.wsbench.wire.MessageLimits;

import io.wsbench.wire.Transport;

import java.time.Duration;
import java.util.Objects;

/**
 * The settings every embedded server is started with, so that all of them are configured alike.
 *
 * <ul>
 *   <li>{@code host}/{@code port}: loopback and an ephemeral port unless asked otherwise;
 *   <li>{@code path}: where the WebSocket endpoint is mounted (ignored by raw TCP);
 *   <li>{@code serverThreads}: the equal-resources rule. Every server gets this many threads for its socket I/O
 *       (Netty event loops, Jetty selectors, Grizzly selector runners, ...), and a server that hands messages to a
 *       worker pool gets a pool of at most this many threads as well; an acceptor thread, idle once connections are
 *       open, is not counted. The default 1 leaves the other core of a 2-core machine to the client. What each
 *       server really runs is read back from the live server ({@link EchoServer#settings()}) and recorded;
 *   <li>{@code maxMessageBytes}: the largest message (and frame) accepted, the same for all;
 *   <li>{@code compression}: permessage-deflate offered by the server; off unless a benchmark asks;
 *   <li>{@code transport}: Netty's transport (epoll or NIO); other servers use NIO and ignore it;
 *   <li>{@code tls}: plain {@code ws://} (the default), or {@code wss://} with the self-signed certificate of {@link
 *       SelfSignedTls} through the JDK's SSLEngine (every server) or BoringSSL (Netty only).
 * </ul>
 *
 * <p>Every WebSocket server serves two endpoints: the echo at {@code path}, and the broadcast room at {@link
 * #BROADCAST_PATH} ({@link EchoServer#broadcasts()}).
 *
 * TCP_NODELAY is always on for accepted connections and UTF-8 of text messages is always validated.
 */
public record ServerConfig(
        String host,
        int port,
        String path,
        int serverThreads,
        int maxMessageBytes,
        boolean compression,
        Transport transport,
        Duration idleTimeout,
        ServerTls tls) {

    /** 1 MiB, inclusive: the largest message every server echoes; one byte more is closed with 1009. */
    public static final int DEFAULT_MAX_MESSAGE_BYTES = MessageLimits.DEFAULT_MAX_MESSAGE_BYTES;

    /**
     * Where every WebSocket server mounts its broadcast room: each text or binary message a connection there sends goes
     * to every connection open there, the sender included.
     */
    public static final String BROADCAST_PATH = "/broadcast";

    public ServerConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        Objects.requireNonNull(tls, "tls");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0 (ephemeral) or 1..65535, was " + port);
        }
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("path must start with '/', was '" + path + "'");
        }
        if (serverThreads < 1) {
            throw new IllegalArgumentException("serverThreads must be at least 1, was " + serverThreads + " (-p serverThreads=1)");
        }
        if (maxMessageBytes < 1) {
            throw new IllegalArgumentException("maxMessageBytes must be positive, was " + maxMessageBytes);
        }
    }

    /** Loopback, ephemeral port, {@code /echo}, one I/O thread, 1 MiB messages, no compression. */
    public static ServerConfig defaults() {
        return new ServerConfig("127.0.0.1", 0, "/echo", 1, DEFAULT_MAX_MESSAGE_BYTES, false,
                Transport.AUTO, Duration.ofMinutes(5), ServerTls.NONE);
    }

    public ServerConfig withHost(String newHost) {
        return new ServerConfig(newHost, port, path, serverThreads, maxMessageBytes, compression, transport, idleTimeout, tls);
    }

    public ServerConfig withPort(int newPort) {
        return new ServerConfig(host, newPort, path, serverThreads, maxMessageBytes, compression, transport, idleTimeout, tls);
    }

    public ServerConfig withPath(String newPath) {
        return new ServerConfig(host, port, newPath, serverThreads, maxMessageBytes, compression, transport, idleTimeout, tls);
    }

    public ServerConfig withServerThreads(int threads) {
        return new ServerConfig(host, port, path, threads, maxMessageBytes, compression, transport, idleTimeout, tls);
    }

    public ServerConfig withMaxMessageBytes(int bytes) {
        return new ServerConfig(host, port, path, serverThreads, bytes, compression, transport, idleTimeout, tls);
    }

    public ServerConfig withCompression(boolean on) {
        return new ServerConfig(host, port, path, serverThreads, maxMessageBytes, on, transport, idleTimeout, tls);
    }

    public ServerConfig withTransport(Transport newTransport) {
        return new ServerConfig(host, port, path, serverThreads, maxMessageBytes, compression, newTransport, idleTimeout, tls);
    }

    public ServerConfig withTls(ServerTls newTls) {
        return new ServerConfig(host, port, path, serverThreads, maxMessageBytes, compression, transport, idleTimeout, newTls);
    }

    /** {@code ws} or {@code wss}, as {@link #tls()} says. */
    public String webSocketScheme() {
        return tls.enabled() ? "wss" : "ws";
    }
}
