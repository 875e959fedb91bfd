package io.wsbench.servers;

import io.wsbench.server.EmbeddedEchoServer;
import io.wsbench.server.EmbeddedServerSupport;
import io.wsbench.server.SelfSignedTls;
import io.wsbench.server.ServerConfig;
import io.wsbench.server.ServerSettings;
import io.wsbench.server.ServerThreads;
import io.wsbench.server.ServerTls;

import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;

import org.eclipse.jetty.server.AbstractConnectionFactory;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
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
 *   <li>one {@link ServerConnector} on {@code host:port}, TCP_NODELAY on accepted sockets, {@code serverThreads}
 *       selectors and no acceptor thread (a selector accepts; benchmark connections open before measuring);
 *   <li>a fixed {@link QueuedThreadPool} of 2 × {@code serverThreads} + 1 threads: the selectors lease theirs, as
 *       many run the echo (the equal-resources rule of {@link ServerConfig#serverThreads()}), and one is Jetty's
 *       reserved thread, which it needs to run the echo where it was selected (see {@link #RESERVED_THREADS});
 *   <li>text, binary and frame limits all {@code maxMessageBytes}, inclusive; auto-fragmentation off so the
 *       frame limit rejects (1009) instead of splitting oversized frames;
 *   <li>no extension negotiated (permessage-deflate refused) unless {@code compression}, then Jetty's defaults;
 *   <li>{@code idleTimeout} for both the HTTP connection and the WebSocket session;
 *   <li>Jetty's auto-demand: the next frame is read as soon as the endpoint method returns, without waiting for
 *       the echo to be written; unsent echoes queue in Jetty (no limit on outgoing frames, Jetty's default);
 *   <li>UTF-8 validation, ping/pong, fragment aggregation and the close handshake are Jetty's defaults;
 *   <li>TLS ({@code wss://}) when {@link ServerConfig#tls()} asks: Jetty's {@link SslContextFactory.Server} with the
 *       key store of {@link SelfSignedTls}, through the JDK's SSLEngine, in front of HTTP/1.1 on the same connector.
 * </ul>
 *
 * <p>The broadcast room at {@link ServerConfig#BROADCAST_PATH} is the Jetty WebSocket API's idiom: a concurrent set of
 * open {@link Session}s, and {@code sendText}/{@code sendBinary} with a {@link Callback} to each of them; a binary
 * payload, which Jetty lends until its callback completes, goes to every member as a slice of the one buffer, and the
 * loan ends when the last member's send has completed. A member whose send fails is closed (1011). Jetty queues every
 * frame for a member in its {@code FrameFlusher} without bound ({@code maxOutgoingFrames} -1 and no write timeout,
 * its defaults): a member that reads slowly makes its queue, and the heap, grow until its connection idles out.
 * The {@code jetty-vt} variant ({@link #JettyEchoServer(ServerConfig, String, ExecutorService)}) is this server with
 * the pool's virtual-threads executor set: the same selectors and pool, and Jetty runs each task it may block in on a
 * new virtual thread (one per task, unbounded).
 * Jetty logs through SLF4J (routed to java.util.logging); its per-start INFO lines are quietened to WARNING.
 */
public final class JettyEchoServer extends EmbeddedEchoServer {

    /** No dedicated acceptor thread: the selector accepts. */
    private static final int ACCEPTORS = 0;

    /** Never reached: the pool's minimum equals its maximum, so no thread idles out. */
    private static final int POOL_THREAD_IDLE_TIMEOUT_MS = 60_000;

    /**
     * One reserved thread, the least with which Jetty runs the echo on the thread that selected it and hands selecting
     * to the reserved one (its execute-produce-consume mode); with none, Jetty's thread budget still wants a spare
     * thread, and it would hand every message to another thread. It is the one thread Jetty has beyond the rule.
     */
    private static final int RESERVED_THREADS = 1;

    private static final org.slf4j.Logger LOG = LoggerFactory.getLogger(JettyEchoServer.class);
    /** Held so java.util.logging keeps the quietened level (it holds loggers weakly). */
    private static final Logger JETTY_LOGS = EmbeddedServerSupport.quietUnlessConfigured("org.eclipse.jetty");

    private final ExecutorService virtualThreads;
    private Server server;
    private Set<Session> room;

    public JettyEchoServer(ServerConfig config) {
        this(config, "jetty", null);
    }

    /**
     * The same server under another name, with {@code virtualThreads} as its pool's virtual-threads executor
     * ({@link QueuedThreadPool#setVirtualThreadsExecutor}); for {@code jetty-vt}. {@link #close()} shuts it down and
     * waits for its tasks, so it must be an executor that tracks them.
     */
    public JettyEchoServer(ServerConfig config, String name, ExecutorService virtualThreads) {
        super(name, config, virtualThreads);
        this.virtualThreads = virtualThreads;
    }

    @Override
    protected URI serve(ServerThreads threads) throws Exception {
        config.tls().requireJdkFor(name());
        int poolThreads = 2 * config.serverThreads() + RESERVED_THREADS;
        QueuedThreadPool pool = new QueuedThreadPool(poolThreads, poolThreads, POOL_THREAD_IDLE_TIMEOUT_MS,
                RESERVED_THREADS, null, threads.group());
        pool.setName(name() + "-echo");
        pool.setDaemon(true);
        if (virtualThreads != null) {
            pool.setVirtualThreadsExecutor(virtualThreads);
        }
        server = new Server(pool, new ScheduledExecutorScheduler(name() + "-echo-scheduler", true, null, threads.group()),
                null);

        ServerConnector connector = new ServerConnector(server, ACCEPTORS, config.serverThreads(), connectionFactories());
        connector.setHost(config.host());
        connector.setPort(config.port());
        connector.setAcceptedTcpNoDelay(true);
        connector.setIdleTimeout(config.idleTimeout().toMillis());
        server.addConnector(connector);
        Set<Session> members = ConcurrentHashMap.newKeySet();
        server.setHandler(WebSocketUpgradeHandler.from(server, container -> configureWebSocket(container, members)));
        room = members;

        server.start();
        return EmbeddedServerSupport.webSocketUri(config, connector.getLocalPort());
    }

    /** HTTP/1.1, behind TLS when asked: Jetty's SslConnectionFactory with the self-signed key store. */
    private ConnectionFactory[] connectionFactories() {
        HttpConfiguration http = new HttpConfiguration();
        if (!config.tls().enabled()) {
            return new ConnectionFactory[] {new HttpConnectionFactory(http)};
        }
        // No SNI host check: clients connect to 127.0.0.1, which the certificate (issued to localhost) does not name.
        http.addCustomizer(new SecureRequestCustomizer(false));
        SslContextFactory.Server tls = new SslContextFactory.Server();
        tls.setKeyStore(SelfSignedTls.shared().keyStore());
        tls.setKeyStorePassword(SelfSignedTls.shared().password());
        return AbstractConnectionFactory.getFactories(tls, new HttpConnectionFactory(http));
    }

    private void configureWebSocket(ServerWebSocketContainer container, Set<Session> members) {
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
        container.addMapping(ServerConfig.BROADCAST_PATH, (request, response, callback) -> {
            if (!config.compression()) {
                response.setExtensions(List.of());
            }
            return new RoomMember(members);
        });
    }

    @Override
    protected ServerSettings readSettings(ServerThreads threads) {
        ServerConnector connector = (ServerConnector) server.getConnectors()[0];
        QueuedThreadPool pool = (QueuedThreadPool) server.getThreadPool();
        int selectors = connector.getSelectorManager().getSelectorCount();
        ServerWebSocketContainer container = ServerWebSocketContainer.get(server.getContext());
        return ServerSettings.of(name())
                .put(ServerSettings.IO_THREADS, selectors)
                .put(ServerSettings.WORKER_THREADS, pool.getMaxThreads() - selectors - connector.getAcceptors()
                        - pool.getReservedThreads())
                .put(ServerSettings.ACCEPTOR_THREADS, connector.getAcceptors())
                .put(ServerSettings.TRANSPORT, "Java NIO (" + connector.getClass().getSimpleName() + ")")
                .put(ServerSettings.MAX_MESSAGE_BYTES, container == null ? "unknown" : container.getMaxTextMessageSize())
                .put(ServerSettings.IDLE_TIMEOUT_MS, connector.getIdleTimeout())
                .putConfigured(ServerSettings.COMPRESSION, config.compression()) // refused per upgrade, by the mapping
                .put(ServerSettings.TLS, (connector.getConnectionFactory(SslConnectionFactory.class) == null
                        ? ServerTls.NONE : ServerTls.JDK).paramValue())
                .put(ServerSettings.BROADCAST, "Session.sendText/sendBinary to a concurrent Session set, " + room.size()
                        + " members")
                .put("poolMaxThreads", pool.getMaxThreads())
                .put("poolReservedThreads", pool.getReservedThreads())
                .put("virtualThreads", virtualThreads == null ? "none"
                        : "one per task, on " + EmbeddedServerSupport.virtualThreadCarriers() + " carrier threads")
                .put(ServerSettings.LIVE_THREADS, threads.liveCount())
                .build();
    }

    @Override
    protected void stop(ServerThreads threads) throws Exception {
        if (server != null) {
            server.stop();
        }
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

    /**
     * One per room connection: it joins the room when its session opens and leaves when it closes, and sends every
     * whole message to all members open at the time, itself included. Jetty calls it from one thread at a time, so a
     * sender's messages are queued to each member in the order it sent them. Public for Jetty's method handles.
     */
    public static final class RoomMember implements Session.Listener.AutoDemanding {
        private final Set<Session> members;
        private Session session;

        private RoomMember(Set<Session> members) {
            this.members = members;
        }

        @Override
        public void onWebSocketOpen(Session openedSession) {
            this.session = openedSession;
            members.add(openedSession);
        }

        @Override
        public void onWebSocketText(String message) {
            for (Session member : members) {
                member.sendText(message, Callback.from(() -> { }, failure -> sendFailed(member, failure)));
            }
        }

        @Override
        public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
            // Jetty lends payload until callback completes: each member gets its own slice (its own position) of it,
            // and the loan ends when every send has completed; the extra count is this loop's, so it ends even when
            // the room is empty.
            List<Session> open = List.copyOf(members);
            AtomicInteger unsent = new AtomicInteger(open.size() + 1);
            Runnable sent = () -> {
                if (unsent.decrementAndGet() == 0) {
                    callback.succeed();
                }
            };
            for (Session member : open) {
                member.sendBinary(payload.slice(), Callback.from(sent, failure -> {
                    sent.run();
                    sendFailed(member, failure);
                }));
            }
            sent.run();
        }

        @Override
        public void onWebSocketClose(int statusCode, String reason) {
            leave();
        }

        @Override
        public void onWebSocketError(Throwable cause) {
            leave();
            if (!(cause instanceof ClosedChannelException)) {
                LOG.warn("jetty room session failed: {}", cause.toString());
                LOG.debug("jetty room session failure", cause);
            }
        }

        private void leave() {
            if (session != null) { // null when the session failed before it opened
                members.remove(session);
            }
        }

        /** A member closing as the message reached it is routine; a send to an open member that fails closes it. */
        private static void sendFailed(Session member, Throwable failure) {
            if (!member.isOpen()) {
                LOG.debug("jetty room message to a closing member not sent", failure);
                return;
            }
            LOG.warn("jetty room message to {} could not be sent; closing that member", member.getRemoteSocketAddress(),
                    failure);
            member.close(StatusCode.SERVER_ERROR, "room send failed", Callback.from(() -> { },
                    closeFailure -> LOG.debug("closing a room member after a failed send failed too", closeFailure)));
        }
    }
}
