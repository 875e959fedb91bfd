package io.wsbench.servers;

import io.wsbench.server.EchoServer;
import io.wsbench.server.EmbeddedServerSupport;
import io.wsbench.server.ServerConfig;
import io.wsbench.server.ServerSettings;
import io.wsbench.server.ServerThreads;
import io.wsbench.wire.MessageLimits;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.websocket.CloseReason;
import jakarta.websocket.CloseReason.CloseCodes;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.Extension;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpointConfig;

import org.glassfish.grizzly.http.server.AddOn;
import org.glassfish.grizzly.http.server.HttpServer;
import org.glassfish.grizzly.http.server.NetworkListener;
import org.glassfish.grizzly.nio.transport.TCPNIOTransportBuilder;
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
 *   <li>UTF-8 validation, ping/pong, fragment aggregation and the close handshake are Tyrus's defaults.
 * </ul>
 * Tyrus and Grizzly log through java.util.logging; their per-start INFO lines are quietened to WARNING.
 */
public final class TyrusEchoServer implements EchoServer {


    /** Largest header of a client frame: 2 bytes, 8 of extended length, 4 of mask. */
    private static final int MAX_CLIENT_FRAME_HEADER_BYTES = 14;

    /** Endpoints are mounted at their full path, below the root context. */
    private static final String ROOT_CONTEXT = "/";

    private static final Logger LOG = Logger.getLogger(TyrusEchoServer.class.getName());
    /** Held so java.util.logging keeps the quietened level (it holds loggers weakly). */
    private static final Logger GLASSFISH_LOGS = EmbeddedServerSupport.quietUnlessConfigured("org.glassfish");

    private final ServerConfig config;
    private HttpServer http;
    private EchoContainer container;
    private ServerThreads threads;
    private boolean closed;

    public TyrusEchoServer(ServerConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    @Override
    public String name() {
        return "tyrus";
    }

    @Override
    public synchronized URI start() {
        if (http != null) {
            throw new IllegalStateException("tyrus echo server already started; create a new instance per run");
        }
        threads = new ServerThreads(name());
        container = new EchoContainer(incomingBufferBytes(config.maxMessageBytes()), threads.group());
        container.setDefaultMaxTextMessageBufferSize(config.maxMessageBytes());
        container.setDefaultMaxBinaryMessageBufferSize(config.maxMessageBytes());
        container.setDefaultMaxSessionIdleTimeout(config.idleTimeout().toMillis());

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
        http = new HttpServer();
        http.addListener(listener);

        try {
            container.addEndpoint(endpointConfig());
            listener.registerAddOn(webSocketAddOn(container));
            // Started from a thread of the server's group so every thread Grizzly and Tyrus spawn lands there.
            threads.callInGroup("tyrus-echo-start", () -> {
                container.start(ROOT_CONTEXT, config.port());
                http.start();
                return null;
            });
        } catch (Exception e) {
            throw EmbeddedServerSupport.startFailureAfterClose(name(), config, e, this::close);
        }
        return EmbeddedServerSupport.webSocketUri(config, listener.getPort());
    }

    /** Room for two maximum frames, never less than Tyrus's own default of 4 MiB + 11. */
    static int incomingBufferBytes(int maxMessageBytes) {
        long twoFrames = 2L * (maxMessageBytes + (long) MAX_CLIENT_FRAME_HEADER_BYTES);
        return (int) Math.min(Integer.MAX_VALUE,
                Math.max(TyrusClientEngine.DEFAULT_INCOMING_BUFFER_SIZE, twoFrames));
    }

    private ServerEndpointConfig endpointConfig() {
        EchoEndpoint endpoint = new EchoEndpoint(config.maxMessageBytes());
        List<Extension> extensions = config.compression() ? List.of(new PerMessageDeflateExtension()) : List.of();
        return ServerEndpointConfig.Builder.create(EchoEndpoint.class, config.path())
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
    public synchronized ServerSettings settings() {
        EmbeddedServerSupport.requireStarted(http != null && !closed, name());
        NetworkListener listener = http.getListeners().iterator().next();
        org.glassfish.grizzly.nio.transport.TCPNIOTransport transport = listener.getTransport();
        return ServerSettings.of(name())
                .put(ServerSettings.IO_THREADS, transport.getSelectorRunnersCount())
                .put(ServerSettings.WORKER_THREADS, transport.getWorkerThreadPoolConfig().getMaxPoolSize())
                .put(ServerSettings.ACCEPTOR_THREADS, 0)
                .put(ServerSettings.TRANSPORT, "Grizzly NIO, " + transport.getIOStrategy().getClass().getSimpleName())
                .put(ServerSettings.MAX_MESSAGE_BYTES, container.getDefaultMaxTextMessageBufferSize())
                .put(ServerSettings.IDLE_TIMEOUT_MS, container.getDefaultMaxSessionIdleTimeout())
                .put(ServerSettings.COMPRESSION, config.compression())
                .put(ServerSettings.LIVE_THREADS, threads.liveCount())
                .build();
    }

    @Override
    public boolean ownsThread(Thread thread) {
        ServerThreads current = threads;
        return current != null && current.contains(thread);
    }

    @Override
    public synchronized void close() {
        if (http == null || closed) {
            return;
        }
        closed = true;
        HttpServer stoppingHttp = http;
        EchoContainer stoppingContainer = container;
        threads.stopAndJoin(() -> {
            stoppingHttp.shutdownNow();
            stoppingContainer.stop();
        });
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
     * Stateless, so one instance serves every connection; Tyrus delivers each session's messages in order. Public
     * only because Tyrus invokes its methods reflectively; nothing outside this server creates one.
     */
    public static final class EchoEndpoint extends Endpoint {

        private final int maxMessageBytes;

        private EchoEndpoint(int maxMessageBytes) {
            this.maxMessageBytes = maxMessageBytes;
        }

        @Override
        public void onOpen(Session session, EndpointConfig endpointConfig) {
            session.addMessageHandler(String.class, text -> echoText(session, text));
            session.addMessageHandler(ByteBuffer.class, payload -> echoBinary(session, payload));
        }

        private void echoText(Session session, String text) {
            if (MessageLimits.exceedsUtf8Bytes(text, maxMessageBytes)) {
                closeTooBig(session, "text");
                return;
            }
            session.getAsyncRemote().sendText(text, result -> {
                if (!result.isOK()) {
                    echoFailed(session, result.getException());
                }
            });
        }

        private void echoBinary(Session session, ByteBuffer payload) {
            if (payload.remaining() > maxMessageBytes) {
                closeTooBig(session, "binary");
                return;
            }
            session.getAsyncRemote().sendBinary(payload, result -> {
                if (!result.isOK()) {
                    echoFailed(session, result.getException());
                }
            });
        }

        @Override
        public void onError(Session session, Throwable cause) {
            LOG.log(Level.WARNING, "tyrus echo session " + session.getId() + " failed: " + cause);
            LOG.log(Level.FINE, "tyrus echo session failure", cause);
        }

        private void closeTooBig(Session session, String kind) {
            close(session, new CloseReason(CloseCodes.TOO_BIG,
                    kind + " message larger than " + maxMessageBytes + " bytes"));
        }

        private void echoFailed(Session session, Throwable failure) {
            LOG.log(Level.WARNING, "tyrus echo on session " + session.getId() + " could not be sent; closing it",
                    failure);
            close(session, new CloseReason(CloseCodes.UNEXPECTED_CONDITION, "echo send failed"));
        }

        private static void close(Session session, CloseReason reason) {
            try {
                session.close(reason);
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.WARNING, "tyrus echo could not close session " + session.getId() + " with "
                        + reason.getCloseCode() + ": " + e, e);
            }
        }
    }
}
