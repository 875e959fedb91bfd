package io.wsbench.servers;

import io.wsbench.server.EchoServer;
import io.wsbench.server.EmbeddedServerSupport;
import io.wsbench.server.ServerConfig;
import io.wsbench.server.ServerStartException;
import io.wsbench.server.ServerThreads;

import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.List;
import java.util.Objects;
import java.util.logging.Logger;

import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.StatusCode;
import org.eclipse.jetty.websocket.server.ServerWebSocketContainer;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;
import org.slf4j.LoggerFactory;

/**
 * Jetty 12 echo server: the Jetty WebSocket API on an embedded {@link Server}, no servlets.
 *
 * <p>Configuration, mirroring the other servers:
 * <ul>
 *   <li>one {@link ServerConnector} on {@code host:port}, TCP_NODELAY on accepted sockets, {@code ioThreads}
 *       selectors and no acceptor thread (a selector accepts; benchmark connections open before measuring);
 *   <li>a fixed {@link QueuedThreadPool} of {@code ioThreads} + {@value #WORKER_THREADS} threads: the selectors
 *       lease theirs, the echo never blocks, so a few workers keep a 2-core machine busy without oversubscribing;
 *   <li>text, binary and frame limits all {@code maxMessageBytes}, inclusive; auto-fragmentation off so the
 *       frame limit rejects (1009) instead of splitting oversized frames;
 *   <li>no extension negotiated (permessage-deflate refused) unless {@code compression}, then Jetty's defaults;
 *   <li>{@code idleTimeout} for both the HTTP connection and the WebSocket session;
 *   <li>Jetty's auto-demand: the next frame is read as soon as the endpoint method returns, without waiting for
 *       the echo to be written; unsent echoes queue in Jetty (no limit on outgoing frames, Jetty's default);
 *   <li>UTF-8 validation, ping/pong, fragment aggregation and the close handshake are Jetty's defaults.
 * </ul>
 * Jetty logs through SLF4J (routed to java.util.logging); its per-start INFO lines are quietened to WARNING.
 */
public final class JettyEchoServer implements EchoServer {

    /** Pool threads beyond the selectors' own. */
    static final int WORKER_THREADS = 4;

    /** No dedicated acceptor thread: the selector accepts. */
    private static final int ACCEPTORS = 0;

    /** Never reached: the pool's minimum equals its maximum, so no thread idles out. */
    private static final int POOL_THREAD_IDLE_TIMEOUT_MS = 60_000;

    /** Let Jetty size its reserved threads from the pool size, as by default. */
    private static final int JETTY_DEFAULT_RESERVED_THREADS = -1;

    private static final org.slf4j.Logger LOG = LoggerFactory.getLogger(JettyEchoServer.class);
    /** Held so java.util.logging keeps the quietened level (it holds loggers weakly). */
    private static final Logger JETTY_LOGS = EmbeddedServerSupport.quietUnlessConfigured("org.eclipse.jetty");

    private final ServerConfig config;
    private Server server;
    private ServerThreads threads;
    private boolean closed;

    public JettyEchoServer(ServerConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    @Override
    public String name() {
        return "jetty";
    }

    @Override
    public synchronized URI start() {
        if (server != null) {
            throw new IllegalStateException("jetty echo server already started; create a new instance per run");
        }
        threads = new ServerThreads(name());
        int poolThreads = config.ioThreads() + WORKER_THREADS;
        QueuedThreadPool pool = new QueuedThreadPool(poolThreads, poolThreads, POOL_THREAD_IDLE_TIMEOUT_MS,
                JETTY_DEFAULT_RESERVED_THREADS, null, threads.group());
        pool.setName("jetty-echo");
        pool.setDaemon(true);
        server = new Server(pool, new ScheduledExecutorScheduler("jetty-echo-scheduler", true, null, threads.group()),
                null);

        ServerConnector connector = new ServerConnector(server, ACCEPTORS, config.ioThreads(),
                new HttpConnectionFactory());
        connector.setHost(config.host());
        connector.setPort(config.port());
        connector.setAcceptedTcpNoDelay(true);
        connector.setIdleTimeout(config.idleTimeout().toMillis());
        server.addConnector(connector);
        server.setHandler(WebSocketUpgradeHandler.from(server, this::configureWebSocket));

        try {
            server.start();
        } catch (Exception e) {
            ServerStartException failure = EmbeddedServerSupport.startFailure(name(), config, e);
            try {
                close();
            } catch (IllegalStateException cleanupFailure) {
                failure.addSuppressed(cleanupFailure);
            }
            throw failure;
        }
        return EmbeddedServerSupport.webSocketUri(config, connector.getLocalPort());
    }

    private void configureWebSocket(ServerWebSocketContainer container) {
        container.setMaxTextMessageSize(config.maxMessageBytes());
        container.setMaxBinaryMessageSize(config.maxMessageBytes());
        container.setMaxFrameSize(config.maxMessageBytes());
        container.setAutoFragment(false);
        container.setIdleTimeout(config.idleTimeout());
        container.addMapping(config.path(), (request, response, callback) -> {
            if (!config.compression()) {
                // Jetty negotiates every registered extension the client offers; an empty list refuses them all.
                response.setExtensions(List.of());
            }
            return new EchoEndpoint();
        });
    }

    @Override
    public synchronized void close() {
        if (server == null || closed) {
            return;
        }
        closed = true;
        Server stopping = server;
        threads.stopAndJoin(stopping::stop);
    }

    /**
     * One per connection; Jetty calls it from one thread at a time. Public only because Jetty invokes its methods
     * through method handles, which need a public class; nothing outside this server creates one.
     */
    public static final class EchoEndpoint implements Session.Listener.AutoDemanding {

        /** Reused for every text echo: on success there is nothing to release, failures end the session. */
        private final Callback textEchoCallback = new Callback() {
            @Override
            public void fail(Throwable failure) {
                echoFailed(failure);
            }
        };

        private Session session;
        /** Captured at open: Jetty no longer knows it once the connection is gone, when it is needed most. */
        private String remote = "(not open)";

        private EchoEndpoint() {
        }

        @Override
        public void onWebSocketOpen(Session openedSession) {
            this.session = openedSession;
            this.remote = String.valueOf(openedSession.getRemoteSocketAddress());
        }

        @Override
        public void onWebSocketText(String message) {
            session.sendText(message, textEchoCallback);
        }

        @Override
        public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
            // Jetty lends payload until callback completes, so complete it only once the echo is written.
            session.sendBinary(payload, Callback.from(callback::succeed, failure -> {
                callback.fail(failure);
                echoFailed(failure);
            }));
        }

        @Override
        public void onWebSocketError(Throwable cause) {
            if (cause instanceof ClosedChannelException) {
                // The connection ended under the session: a client gone without a close handshake, or this server
                // stopping (routine at the end of every benchmark run), not a server fault.
                LOG.debug("jetty echo session with {} ended by its connection closing", remote, cause);
                return;
            }
            LOG.warn("jetty echo session with {} failed: {}", remote, cause.toString());
            LOG.debug("jetty echo session failure", cause);
        }

        private void echoFailed(Throwable failure) {
            LOG.warn("jetty echo to {} could not be sent; closing the session", remote, failure);
            session.close(StatusCode.SERVER_ERROR, "echo send failed", new Callback() {
                @Override
                public void fail(Throwable closeFailure) {
                    // Expected when the send failed because the connection is gone; that failure is logged above.
                    LOG.debug("closing after a failed echo failed too", closeFailure);
                }
            });
        }
    }
}
