package io.wsbench.servers;

import io.wsbench.server.EmbeddedEchoServer;
import io.wsbench.server.EmbeddedServerSupport;
import io.wsbench.server.SelfSignedTls;
import io.wsbench.server.ServerConfig;
import io.wsbench.server.ServerSettings;
import io.wsbench.server.ServerThreads;
import io.wsbench.server.ServerTls;
import io.wsbench.wire.MessageLimits;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.websocket.CloseReason;
import jakarta.websocket.CloseReason.CloseCodes;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.Extension;
import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.SendHandler;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpointConfig;

import org.glassfish.grizzly.http.server.AddOn;
import org.glassfish.grizzly.http.server.HttpServer;
import org.glassfish.grizzly.http.server.NetworkListener;
import org.glassfish.grizzly.nio.transport.TCPNIOTransportBuilder;
import org.glassfish.grizzly.ssl.SSLEngineConfigurator;
import org.glassfish.grizzly.strategies.WorkerThreadIOStrategy;
import org.glassfish.grizzly.threadpool.ThreadPoolConfig;
import org.glassfish.tyrus.client.TyrusClientEngine;
import org.glassfish.tyrus.container.grizzly.server.WebSocketAddOn;
import org.glassfish.tyrus.core.TyrusWebSocketEngine;
import org.glassfish.tyrus.ext.extension.deflate.PerMessageDeflateExtension;
import org.glassfish.tyrus.server.TyrusServerContainer;
import org.glassfish.tyrus.spi.ServerContainer;
import org.glassfish.tyrus.spi.WebSocketEngine;

/**
 * Tyrus 2.2 echo server: a programmatic {@link Endpoint} in Tyrus's engine on Grizzly, wired the way Tyrus's
 * standalone container ({@code org.glassfish.tyrus.server.Server}) wires it, but on a Grizzly {@link HttpServer}
 * built here. The standalone container cannot be configured like the other servers: it always binds 0.0.0.0,
 * always runs cores + 1 selectors whatever its thread-pool properties say, maps port 0 to 8025, and takes endpoint
 * classes only, so an endpoint cannot carry this server's settings.
 *
 * <p>Configuration, mirroring the other servers:
 * <ul>
 *   <li>one listener on {@code host:port}, TCP_NODELAY, {@code serverThreads} selector runners on a pool of as many
 *       threads, and a fixed pool of as many workers handling I/O events (Tyrus's choice of
 *       {@link WorkerThreadIOStrategy}): the equal-resources rule of {@link ServerConfig#serverThreads()};
 *   <li>messages up to {@code maxMessageBytes} inclusive; larger ones are closed with 1009. Tyrus has no per-endpoint
 *       limit for programmatic endpoints (only {@code @OnMessage(maxMessageSize)}, a compile-time constant, and
 *       fragment buffers that count text in chars), so the endpoint checks sizes itself: binary by length, text by
 *       exact UTF-8 length. Tyrus's incoming buffer holds a whole frame before parsing it; it is sized to two
 *       maximum frames (at least Tyrus's 4 MiB default) so legitimate traffic never overflows it. A frame bigger
 *       than that overflows it and Tyrus closes with 1011 instead of 1009;
 *   <li>permessage-deflate installed only when {@code compression};
 *   <li>{@code idleTimeout} as the WebSocket session's idle timeout, timed by a one-thread scheduler that drops
 *       cancelled checks at once (Tyrus's default keeps them queued; see {@link EchoContainer}); Grizzly's HTTP
 *       keep-alive timeout is off, as in Tyrus's container, because it would also close busy upgraded connections;
 *   <li>UTF-8 validation, ping/pong, fragment aggregation and the close handshake are Tyrus's defaults;
 *   <li>TLS ({@code wss://}) when {@link ServerConfig#tls()} asks for it: Grizzly's SSL filter on the listener, with
 *       an {@link SSLEngineConfigurator} over the JDK's SSLContext, in front of both endpoints.
 * </ul>
 *
 * <p>The broadcast room at {@link ServerConfig#BROADCAST_PATH} is a second programmatic endpoint, written as the JSR
 * 356 chat examples write it: a concurrent set of the open sessions, and for every message one
 * {@code getAsyncRemote().sendText/sendBinary} per member with a {@link SendHandler} that closes a member whose send
 * failed. Tyrus allows any number of outstanding whole-message async sends per session (its {@code ProtocolHandler}
 * frames each under a lock and hands it to the connection's writer in order; only a partial message holds others
 * back), so no queue of our own is needed. Nothing bounds a member's outbound queue: once Grizzly's per-connection
 * write queue is full, Tyrus's {@code GrizzlyWriter} parks further frames in its own unbounded task queue until the
 * socket can take them, so a subscriber that reads slowly makes the heap grow, and the sender never waits. (Tyrus's
 * own {@code TyrusSession.broadcast} encodes a frame once, but reports failures only through futures, and its
 * default parallel mode runs on the container's extra thread pool.)
 * Tyrus and Grizzly log through java.util.logging; their per-start INFO lines are quietened to WARNING.
 */
public final class TyrusEchoServer extends EmbeddedEchoServer {


    /** Largest header of a client frame: 2 bytes, 8 of extended length, 4 of mask. */
    private static final int MAX_CLIENT_FRAME_HEADER_BYTES = 14;

    /** Endpoints are mounted at their full path, below the root context. */
    private static final String ROOT_CONTEXT = "/";

    private static final Logger LOG = Logger.getLogger(TyrusEchoServer.class.getName());
    /** Held so java.util.logging keeps the quietened level (it holds loggers weakly). */
    private static final Logger GLASSFISH_LOGS = EmbeddedServerSupport.quietUnlessConfigured("org.glassfish");

    private HttpServer http;
    private EchoContainer container;
    private RoomEndpoint room;

    public TyrusEchoServer(ServerConfig config) {
        super("tyrus", config);
    }

    @Override
    protected URI serve(ServerThreads threads) throws Exception {
        config.tls().requireJdkFor(name());
        container = new EchoContainer(incomingBufferBytes(config.maxMessageBytes()), threads.group());
        container.setDefaultMaxTextMessageBufferSize(config.maxMessageBytes());
        container.setDefaultMaxBinaryMessageBufferSize(config.maxMessageBytes());
        container.setDefaultMaxSessionIdleTimeout(config.idleTimeout().toMillis());
        room = new RoomEndpoint(config.maxMessageBytes());

        NetworkListener listener = new NetworkListener("tyrus-echo", config.host(), config.port());
        listener.setTransport(TCPNIOTransportBuilder.newInstance()
                .setTcpNoDelay(true)
                .setSelectorRunnersCount(config.serverThreads())
                .setSelectorThreadPoolConfig(ThreadPoolConfig.defaultConfig().setPoolName("tyrus-echo-selector")
                        .setCorePoolSize(config.serverThreads()).setMaxPoolSize(config.serverThreads()))
                .setWorkerThreadPoolConfig(ThreadPoolConfig.defaultConfig().setPoolName("tyrus-echo-worker")
                        .setCorePoolSize(config.serverThreads()).setMaxPoolSize(config.serverThreads()))
                .setIOStrategy(WorkerThreadIOStrategy.getInstance())
                .build());
        listener.getKeepAlive().setIdleTimeoutInSeconds(-1); // never: idleTimeout applies to the session instead
        if (config.tls().enabled()) {
            listener.setSecure(true);
            listener.setSSLEngineConfig(new SSLEngineConfigurator(SelfSignedTls.shared().sslContext(),
                    false, false, false)); // server mode, no client certificate
        }
        http = new HttpServer();
        http.addListener(listener);

        container.addEndpoint(endpointConfig(EchoEndpoint.class, new EchoEndpoint(config.maxMessageBytes()),
                config.path()));
        container.addEndpoint(endpointConfig(RoomEndpoint.class, room, ServerConfig.BROADCAST_PATH));
        listener.registerAddOn(webSocketAddOn(container));
        // Started from a thread of the server's group so every thread Grizzly and Tyrus spawn lands there.
        threads.callInGroup("tyrus-echo-start", () -> {
            container.start(ROOT_CONTEXT, config.port());
            http.start();
            return null;
        });
        return EmbeddedServerSupport.webSocketUri(config, listener.getPort());
    }

    /** Room for two maximum frames, never less than Tyrus's own default of 4 MiB + 11. */
    static int incomingBufferBytes(int maxMessageBytes) {
        long twoFrames = 2L * (maxMessageBytes + (long) MAX_CLIENT_FRAME_HEADER_BYTES);
        return (int) Math.min(Integer.MAX_VALUE,
                Math.max(TyrusClientEngine.DEFAULT_INCOMING_BUFFER_SIZE, twoFrames));
    }

    private ServerEndpointConfig endpointConfig(Class<? extends Endpoint> endpointClass, Endpoint endpoint,
            String path) {
        List<Extension> extensions = config.compression() ? List.of(new PerMessageDeflateExtension()) : List.of();
        return ServerEndpointConfig.Builder.create(endpointClass, path)
                .extensions(extensions)
                .configurator(new ServerEndpointConfig.Configurator() {
                    @Override
                    public <T> T getEndpointInstance(Class<T> endpointClass) {
                        return endpointClass.cast(endpoint);
                    }
                })
                .build();
    }

    /**
     * Tyrus's Grizzly add-on, which inserts its WebSocket filter into an {@link HttpServer}. Tyrus keeps the class
     * public for containers like this one (TYRUS-317) but its constructor package-private, hence reflection.
     */
    private static AddOn webSocketAddOn(ServerContainer container) throws DeploymentException {
        try {
            Constructor<WebSocketAddOn> constructor =
                    WebSocketAddOn.class.getDeclaredConstructor(ServerContainer.class, String.class);
            constructor.setAccessible(true);
            return constructor.newInstance(container, ROOT_CONTEXT);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new DeploymentException("cannot create Tyrus's WebSocketAddOn(ServerContainer, String): " + e
                    + "; TyrusEchoServer is written against Tyrus 2.2.0, check the tyrus.version in pom.xml", e);
        }
    }

    @Override
    protected ServerSettings readSettings(ServerThreads threads) {
        NetworkListener listener = http.getListeners().iterator().next();
        org.glassfish.grizzly.nio.transport.TCPNIOTransport transport = listener.getTransport();
        return ServerSettings.of(name())
                .put(ServerSettings.IO_THREADS, transport.getSelectorRunnersCount())
                .put(ServerSettings.WORKER_THREADS, transport.getWorkerThreadPoolConfig().getMaxPoolSize())
                .putConfigured(ServerSettings.ACCEPTOR_THREADS, 0) // a selector runner accepts, by Grizzly's design
                .put(ServerSettings.TRANSPORT, "Grizzly NIO, " + transport.getIOStrategy().getClass().getSimpleName())
                .put(ServerSettings.MAX_MESSAGE_BYTES, container.getDefaultMaxTextMessageBufferSize())
                .put(ServerSettings.IDLE_TIMEOUT_MS, container.getDefaultMaxSessionIdleTimeout())
                .putConfigured(ServerSettings.COMPRESSION, config.compression()) // the endpoints' extension lists
                .put(ServerSettings.TLS, (listener.isSecure() ? ServerTls.JDK : ServerTls.NONE).paramValue())
                .put(ServerSettings.BROADCAST, "Session set, getAsyncRemote().send per member, "
                        + room.members.size() + " members")
                .put(ServerSettings.LIVE_THREADS, threads.liveCount())
                .build();
    }

    @Override
    protected void stop(ServerThreads threads) {
        if (http != null) {
            http.shutdownNow();
        }
        if (container != null) {
            container.stop();
        }
    }

    /**
     * Tyrus's server container with its engine, as Tyrus's Grizzly container has, minus the server it starts, and
     * with its own idle-timeout scheduler. Tyrus reschedules a session's idle timeout on every message in and out;
     * its default scheduler (10 threads, created lazily) keeps each cancelled task queued until it would have fired,
     * millions of dead tasks per idle timeout at benchmark rates, and is re-created if a session is still being set
     * up when the container stops, leaking its threads. This one has one thread, drops cancelled tasks at once and
     * discards what is scheduled after stop(): a stopped server has no idle connections left to time out.
     */
    private static final class EchoContainer extends TyrusServerContainer {

        private final WebSocketEngine engine;
        private final ScheduledThreadPoolExecutor idleTimeouts;

        EchoContainer(int incomingBufferBytes, ThreadGroup threadGroup) {
            super((Set<Class<?>>) null);
            engine = TyrusWebSocketEngine.builder(this).incomingBufferSize(incomingBufferBytes).build();
            idleTimeouts = new ScheduledThreadPoolExecutor(1, task -> {
                Thread thread = new Thread(threadGroup, task, "tyrus-echo-idle-timeouts");
                thread.setDaemon(true);
                return thread;
            }, new ThreadPoolExecutor.DiscardPolicy());
            idleTimeouts.setRemoveOnCancelPolicy(true);
        }

        @Override
        public ScheduledExecutorService getScheduledExecutorService() {
            return idleTimeouts;
        }

        @Override
        public void stop() {
            super.stop();
            idleTimeouts.shutdownNow();
        }

        @Override
        public void register(Class<?> endpointClass) throws DeploymentException {
            engine.register(endpointClass, ROOT_CONTEXT);
        }

        @Override
        public void register(ServerEndpointConfig serverEndpointConfig) throws DeploymentException {
            engine.register(serverEndpointConfig, ROOT_CONTEXT);
        }

        @Override
        public WebSocketEngine getWebSocketEngine() {
            return engine;
        }
    }

    /**
     * What the echo and the room share: the message limit Tyrus cannot set on a programmatic endpoint (binary by
     * length, text by exact UTF-8 length), and closing a session whose send failed. One instance serves every
     * connection; Tyrus delivers each session's messages in order.
     */
    abstract static class LimitedEndpoint extends Endpoint {

        private final int maxMessageBytes;
        private final String role;

        LimitedEndpoint(int maxMessageBytes, String role) {
            this.maxMessageBytes = maxMessageBytes;
            this.role = role;
        }

        @Override
        public void onOpen(Session session, EndpointConfig endpointConfig) {
            session.addMessageHandler(String.class, text -> {
                if (MessageLimits.exceedsUtf8Bytes(text, maxMessageBytes)) {
                    closeTooBig(session, "text");
                } else {
                    onText(session, text);
                }
            });
            session.addMessageHandler(ByteBuffer.class, payload -> {
                if (payload.remaining() > maxMessageBytes) {
                    closeTooBig(session, "binary");
                } else {
                    onBinary(session, payload);
                }
            });
        }

        abstract void onText(Session session, String text);

        abstract void onBinary(Session session, ByteBuffer payload);

        /** Closes {@code session} when the send fails; one that has already closed just missed the message. */
        SendHandler closingOnFailure(Session session) {
            return result -> {
                if (result.isOK()) {
                    return;
                }
                if (session.isOpen()) {
                    LOG.log(Level.WARNING, "tyrus " + role + " send on session " + session.getId()
                            + " failed; closing it", result.getException());
                    close(session, new CloseReason(CloseCodes.UNEXPECTED_CONDITION, role + " send failed"));
                } else {
                    LOG.log(Level.FINE, "tyrus " + role + " send to closed session " + session.getId(),
                            result.getException());
                }
            };
        }

        @Override
        public void onError(Session session, Throwable cause) {
            LOG.log(Level.WARNING, "tyrus " + role + " session " + session.getId() + " failed: " + cause);
            LOG.log(Level.FINE, "tyrus " + role + " session failure", cause);
        }

        private void closeTooBig(Session session, String kind) {
            close(session, new CloseReason(CloseCodes.TOO_BIG,
                    kind + " message larger than " + maxMessageBytes + " bytes"));
        }

        private void close(Session session, CloseReason reason) {
            try {
                session.close(reason);
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.WARNING, "tyrus " + role + " could not close session " + session.getId() + " with "
                        + reason.getCloseCode() + ": " + e, e);
            }
        }
    }

    /**
     * Sends every message back on its own session. Public only because Tyrus invokes its methods reflectively;
     * nothing outside this server creates one.
     */
    public static final class EchoEndpoint extends LimitedEndpoint {

        private EchoEndpoint(int maxMessageBytes) {
            super(maxMessageBytes, "echo");
        }

        @Override
        void onText(Session session, String text) {
            session.getAsyncRemote().sendText(text, closingOnFailure(session));
        }

        @Override
        void onBinary(Session session, ByteBuffer payload) {
            session.getAsyncRemote().sendBinary(payload, closingOnFailure(session));
        }
    }

    /**
     * The broadcast room: a session is a member from onOpen to onClose, and every message goes to each member open
     * at the time, the sender included. Public only because Tyrus invokes its methods reflectively.
     */
    public static final class RoomEndpoint extends LimitedEndpoint {

        private final Set<Session> members = ConcurrentHashMap.newKeySet();

        private RoomEndpoint(int maxMessageBytes) {
            super(maxMessageBytes, "room");
        }

        @Override
        public void onOpen(Session session, EndpointConfig endpointConfig) {
            members.add(session);
            super.onOpen(session, endpointConfig);
        }

        @Override
        public void onClose(Session session, CloseReason closeReason) {
            members.remove(session);
        }

        @Override
        void onText(Session session, String text) {
            for (Session member : members) {
                relay(member, remote -> remote.sendText(text, closingOnFailure(member)));
            }
        }

        @Override
        void onBinary(Session session, ByteBuffer payload) {
            for (Session member : members) {
                // Its own view per member: a send may consume the buffer's remaining bytes.
                relay(member, remote -> remote.sendBinary(payload.duplicate(), closingOnFailure(member)));
            }
        }

        /**
         * Tyrus refuses a send at once only for a session in or past its close handshake (a closed session, a
         * connection no longer connected): that member is leaving, so it misses the message and leaves the room now.
         */
        private void relay(Session member, Consumer<RemoteEndpoint.Async> send) {
            try {
                send.accept(member.getAsyncRemote());
            } catch (RuntimeException leaving) {
                members.remove(member);
                LOG.log(Level.FINE, "tyrus room member " + member.getId() + " is closing; not sent", leaving);
            }
        }
    }
}
