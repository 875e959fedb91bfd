package io.wsbench.server;

import io.wsbench.wire.EchoProtocol;
import java.net.URI;
import java.util.OptionalLong;

/**
 * An echo server under test: every text or binary message a client sends comes back unchanged, unless
 * the server says otherwise ({@link #echoPrefix()}, {@link #protocol()}, {@link #echoesBinary()}).
 *
 * <p>One class per implementation, all configured from the same {@link ServerConfig} so that a
 * difference in the numbers is the server's and not its settings'. The constructor starts nothing,
 * so a benchmark can ask a new instance what to expect of it before any server runs. {@link #start()}
 * binds a loopback port and returns the URI clients connect to; {@link #close()} releases the port and
 * every thread (and child process) the server started, and may be called more than once.
 */
public interface EchoServer extends AutoCloseable {

    /** Short name used as the {@code server} parameter: netty, jetty, tyrus, rawtcp, socket, ... */
    String name();

    /**
     * Binds and starts serving.
     *
     * @return {@code ws://HOST:PORT/PATH} for WebSocket servers, {@code tcp://HOST:PORT} for raw TCP
     * @throws ServerStartException naming the cause (for example the port is taken) and the fix
     */
    URI start() throws ServerStartException;

    /**
     * What the running server really uses (threads by role, transport, limits, timeouts, compression), read from its
     * live objects after {@link #start()}.
     */
    ServerSettings settings();

    /**
     * Whether {@code thread} is one of this server's, for the CPU split between server, client and JVM. By default a
     * thread named after the server ({@code netty-io-1}); servers whose library names threads otherwise say so.
     */
    default boolean ownsThread(Thread thread) {
        return thread.getName().startsWith(name() + "-");
    }

    /** Text the server puts in front of every echo, such as {@code "Echo: "}; empty when it echoes unchanged. */
    default String echoPrefix() {
        return "";
    }

    /** How messages travel on the connection: plain WebSocket messages, or Socket.IO events. */
    default EchoProtocol protocol() {
        return EchoProtocol.WEBSOCKET;
    }

    /** Whether binary messages are echoed too; false for a server that only answers text. */
    default boolean echoesBinary() {
        return true;
    }

    /**
     * Whether this server serves the broadcast room at {@link ServerConfig#BROADCAST_PATH}, the way a user of its library
     * would write one: every text or binary message a connection there sends goes, unchanged, to every connection open
     * there at the time, the sender included, in the order the server read them. Every WebSocket server of the JVM
     * does (BroadcastContractTest holds each to it); the floors and the Python servers say they do not.
     */
    default boolean broadcasts() {
        return true;
    }

    /**
     * Whether this server serves {@code wss://} when {@link ServerConfig#tls()} asks for it: every WebSocket server of
     * the JVM does, with the JDK's SSLEngine (Netty also with BoringSSL; TlsContractTest holds each to it); the floors
     * and the Python servers say they do not.
     */
    default boolean servesTls() {
        return true;
    }

    /**
     * The process that serves, when it is not this JVM (a server run as a child process), so its CPU time
     * and memory can be read from {@code /proc}; empty for a server inside this JVM, or before {@link #start()}.
     */
    default OptionalLong serverPid() {
        return OptionalLong.empty();
    }

    /** Stops serving, closes every connection, releases the port and joins the server's threads. */
    @Override
    void close();
}
