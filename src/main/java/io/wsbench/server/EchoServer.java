package io.wsbench.server;

import java.net.URI;

/**
 * An echo server under test: every text or binary message a client sends comes back unchanged.
 *
 * <p>One class per implementation, all configured from the same {@link ServerConfig} so that a
 * difference in the numbers is the server's and not its settings'. {@link #start()} binds a
 * loopback port and returns the URI clients connect to; {@link #close()} releases the port and
 * every thread the server started, and may be called more than once.
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

    /** Stops serving, closes every connection, releases the port and joins the server's threads. */
    @Override
    void close();
}
