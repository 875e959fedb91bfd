package io.wsbench.servers;

import io.wsbench.server.EmbeddedEchoServer;
import io.wsbench.server.EmbeddedServerSupport;
import io.wsbench.server.SelfSignedTls;
import io.wsbench.server.ServerConfig;
import io.wsbench.server.ServerSettings;
import io.wsbench.server.ServerThreads;
import io.wsbench.server.ServerTls;
import io.wsbench.wire.MessageLimits;

import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.websocket.CloseReason;
import jakarta.websocket.CloseReason.CloseCodes;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.Extension;
import jakarta.websocket.HandshakeResponse;
import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.Session;
import jakarta.websocket.server.HandshakeRequest;
import jakarta.websocket.server.ServerContainer;
import jakarta.websocket.server.ServerEndpointConfig;

import org.apache.catalina.LifecycleException;
import org.apache.catalina.LifecycleState;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.core.StandardContext;
import org.apache.catalina.core.StandardThreadExecutor;
import org.apache.catalina.startup.Tomcat;
import org.apache.coyote.http11.Http11NioProtocol;
import org.apache.tomcat.util.modeler.Registry;
import org.apache.tomcat.util.net.SSLHostConfig;
import org.apache.tomcat.util.net.SSLHostConfigCertificate;
import org.apache.tomcat.util.net.jsse.JSSEImplementation;
import org.apache.tomcat.websocket.WsSession;
import org.apache.tomcat.websocket.server.WsSci;

/**
 * Tomcat 11 echo server: embedded Tomcat with its JSR 356 (jakarta.websocket) implementation, a programmatic
 * {@link Endpoint} with whole-message handlers echoing through the session's basic (blocking) remote, as a Tomcat
 * user writes it. The endpoints are deployed the way a web application's {@code ServerApplicationConfig} would be:
 * Tomcat's {@link WsSci} creates the context's {@link ServerContainer}, then this server adds the echo at
 * {@code path} and the broadcast room beside it; every other path answers 404.
 *
 * <p>Equal resources, sized from {@code serverThreads} = N:
 * <ul>
 *   <li>one NIO connector on {@code host:port}, TCP_NODELAY; Tomcat 10+ always runs one acceptor and one poller
 *       thread (their counts are no longer configurable). The poller only waits for readiness: reading, frame
 *       parsing, the echo and writing run on the workers, so the workers are Tomcat's I/O threads (settings() reports them
 *       as such, with no separate worker pool);
 *   <li>the workers: a Tomcat {@link StandardThreadExecutor} with {@code maxThreads} = {@code minSpareThreads} = N,
 *       named {@code tomcat-worker-<n>}. The {@code tomcat-vt} variant instead runs every task on a new virtual
 *       thread (one per task, unbounded, as Tomcat's {@code useVirtualThreads=true}), with the same one poller; the
 *       virtual threads run on the JVM's carrier threads, a JVM-wide pool that the benchmark JVM sizes to N before
 *       its first virtual thread ({@code RunningServer}; {@code -Djdk.virtualThreadScheduler.parallelism} wins),
 *       so tomcat-vt's I/O threads are those carriers;
 *   <li>messages up to {@code maxMessageBytes} inclusive, larger ones closed with 1009: Tomcat buffers a whole
 *       message in a per-session buffer of {@code maxMessageBytes} bytes (binary) and as many chars (text), and
 *       answers 1009 when one overflows. A char buffer holds more UTF-8 bytes than its size in multi-byte text, so
 *       the endpoint also checks a text message's exact UTF-8 length. Tomcat allocates both buffers when a session
 *       opens: about 3 × {@code maxMessageBytes} of heap per connection;
 *   <li>permessage-deflate (installed by Tomcat) negotiated only when {@code compression};
 *   <li>{@code idleTimeout} for the HTTP connection and as the sessions' idle timeout;
 *   <li>UTF-8 validation, ping/pong, fragment aggregation and the close handshake are Tomcat's defaults;
 *   <li>TLS ({@code wss://}) when {@link ServerConfig#tls()} asks for it: the connector's {@link SSLHostConfig} with
 *       the self-signed key store, on Tomcat's JSSE implementation (the JDK's SSLEngine), for both endpoints.
 * </ul>
 *
 * <p>The broadcast room at {@link ServerConfig#BROADCAST_PATH} is a second endpoint, written as Tomcat's own chat
 * example ({@code examples/websocket/chat/ChatAnnotation}) writes it: a concurrent set of the open sessions, and for
 * every message {@code getBasicRemote().sendText/sendBinary} to each member while holding that member's lock. Tomcat
 * allows one send in progress per session (a second, blocking or async, throws IllegalStateException
 * TEXT_FULL_WRITING), and members' messages arrive on different workers; the lock makes them take turns, and a
 * blocking send needs no queue of its own and no copy of a binary payload, which Tomcat reuses once the handler
 * returns. A member whose send fails is closed. A subscriber that reads slowly blocks the worker sending to it (and
 * every other sender waiting for its lock) for up to Tomcat's blocking send timeout, 20 s by default
 * ({@code org.apache.tomcat.websocket.BLOCKING_SEND_TIMEOUT}); then that send fails and the member is closed.
 *
 * <p>Tomcat's jakarta.websocket API classes share the classpath with the identical ones Tyrus brings
 * (jakarta.websocket-api 2.2.0, first on the classpath and so the ones loaded); both register a default {@link
 * ServerEndpointConfig.Configurator} through {@link java.util.ServiceLoader}, and the first on the classpath, Tyrus's,
 * is the JVM-wide default. This endpoint's configurator overrides every method, so Tomcat never consults that default
 * and works whichever wins; Tyrus keeps its own. Tomcat's JMX registry is off (as Spring Boot does by default), so
 * repeated starts register no MBeans. Tomcat logs through java.util.logging; its INFO lines are quietened to WARNING.
 */
public final class TomcatEchoServer extends EmbeddedEchoServer {

    /** The name Tomcat gives its WebSocket idle-timeout thread once it is told to stop. */
    private static final String STOPPING_BACKGROUND_THREAD = "WebSocket background processing - stopping";

    private static final Logger LOG = Logger.getLogger(TomcatEchoServer.class.getName());
    /** Held so java.util.logging keeps the quietened level (it holds loggers weakly). */
    private static final Logger TOMCAT_LOGS = EmbeddedServerSupport.quietUnlessConfigured("org.apache");
    /**
     * Tomcat's leak hunt for redeployed web applications warns of any worker still busy with the context's class
     * loader when the context stops; this server stops its workers right after and joins them, so it is noise here.
     */
    private static final Logger WEBAPP_LEAK_WARNINGS =
            quietenedToSevere("org.apache.catalina.loader.WebappClassLoaderBase");

    static {
        Registry.disableRegistry();
    }

    private static Logger quietenedToSevere(String loggerName) {
        Logger logger = Logger.getLogger(loggerName);
        if (logger.getLevel() == null) {
            logger.setLevel(Level.SEVERE);
        }
        return logger;
    }

    private final ExecutorService externalWorkers;
    private final EchoEndpoint echo;
    private final RoomEndpoint room;
    private Tomcat tomcat;
    private Connector connector;
    private StandardThreadExecutor platformWorkers;
    private volatile ServerContainer container;
    private Path baseDir;

    public TomcatEchoServer(ServerConfig config) {
        this(config, "tomcat", null);
    }

    /**
     * The same server under another name, its connector running every task on {@code workers} instead of Tomcat's
     * pool of {@code serverThreads} platform threads (for {@code tomcat-vt}: one virtual thread per task). {@link #close()}
     * shuts {@code workers} down and waits for its tasks, so it must be an executor that tracks them.
     */
    public TomcatEchoServer(ServerConfig config, String name, ExecutorService workers) {
        super(name, config, workers);
        this.externalWorkers = workers;
        this.echo = new EchoEndpoint(name, config.maxMessageBytes());
        this.room = new RoomEndpoint(name, config.maxMessageBytes());
    }

    @Override
    protected URI serve(ServerThreads threads) throws Exception {
        config.tls().requireJdkFor(name());
        tomcat = new Tomcat();
        tomcat.setSilent(true);
        baseDir = Files.createTempDirectory("wsbench-" + name() + "-");
        tomcat.setBaseDir(baseDir.toString());
        connector = connector();
        tomcat.setConnector(connector);
        StandardContext context = (StandardContext) tomcat.addContext("", null);
        // Nothing of this server's is loaded by the context's class loader: no leaks for Tomcat to hunt on stop
        // (it would warn that it needs --add-opens for two of its checks).
        context.setClearReferencesThreadLocals(false);
        context.setClearReferencesRmiTargets(false);
        // Requests reach the WebSocket filter only through a mapped servlet; every other path gets its 404.
        Tomcat.addServlet(context, "not-found", new NotFoundServlet());
        context.addServletMappingDecoded("/", "not-found");
        context.addServletContainerInitializer(new WsSci(), null);
        context.addServletContainerInitializer((classes, servletContext) -> {
            container = (ServerContainer) servletContext.getAttribute(ServerContainer.class.getName());
            container.setDefaultMaxTextMessageBufferSize(config.maxMessageBytes());
            container.setDefaultMaxBinaryMessageBufferSize(config.maxMessageBytes());
            container.setDefaultMaxSessionIdleTimeout(config.idleTimeout().toMillis());
            try {
                container.addEndpoint(endpointConfig(EchoEndpoint.class, echo, config.path()));
                container.addEndpoint(endpointConfig(RoomEndpoint.class, room, ServerConfig.BROADCAST_PATH));
            } catch (DeploymentException e) {
                throw new ServletException("cannot deploy the echo and room endpoints", e);
            }
        }, null);
        // Started from a thread of the server's group so every thread Tomcat spawns lands there.
        threads.callInGroup(name() + "-start", () -> {
            tomcat.start();
            return null;
        });
        if (connector.getState() != LifecycleState.STARTED) {
            throw new LifecycleException("the connector is " + connector.getState() + " after start; see the log");
        }
        return EmbeddedServerSupport.webSocketUri(config, connector.getLocalPort());
    }

    private Connector connector() {
        Http11NioProtocol protocol = new Http11NioProtocol();
        protocol.setTcpNoDelay(true);
        protocol.setConnectionTimeout((int) Math.min(Integer.MAX_VALUE, config.idleTimeout().toMillis()));
        if (externalWorkers != null) {
            protocol.setExecutor(externalWorkers);
        } else {
            StandardThreadExecutor workers = new StandardThreadExecutor();
            workers.setName(name() + "-workers");
            workers.setNamePrefix(name() + "-worker-");
            workers.setMaxThreads(config.serverThreads());
            workers.setMinSpareThreads(config.serverThreads());
            workers.setDaemon(true);
            tomcat.getService().addExecutor(workers);
            protocol.setExecutor(workers);
            platformWorkers = workers;
        }
        if (config.tls().enabled()) {
            protocol.addSslHostConfig(selfSignedTls());
            protocol.setSSLEnabled(true);
            protocol.setSslImplementationName(JSSEImplementation.class.getName());
        }
        Connector created = new Connector(protocol);
        if (config.tls().enabled()) {
            created.setScheme("https");
            created.setSecure(true);
        }
        // Fail start() when the port cannot be bound, instead of logging it and starting without a connector.
        created.setThrowOnFailure(true);
        created.setPort(config.port());
        if (!created.setProperty("address", config.host())) {
            throw new IllegalArgumentException("Tomcat does not accept address " + config.host());
        }
        return created;
    }

    /** The default host's TLS: the self-signed key store, as {@code <Certificate certificateKeystore...>} would. */
    private static SSLHostConfig selfSignedTls() {
        SSLHostConfig host = new SSLHostConfig();
        SSLHostConfigCertificate certificate =
                new SSLHostConfigCertificate(host, SSLHostConfigCertificate.Type.UNDEFINED);
        certificate.setCertificateKeystore(SelfSignedTls.shared().keyStore());
        certificate.setCertificateKeystorePassword(SelfSignedTls.shared().password());
        certificate.setCertificateKeyAlias(SelfSignedTls.KEY_ALIAS);
        host.addCertificate(certificate);
        return host;
    }

    private ServerEndpointConfig endpointConfig(Class<? extends Endpoint> endpointClass, Endpoint endpoint,
            String path) {
        return ServerEndpointConfig.Builder.create(endpointClass, path)
                .configurator(new OneInstanceConfigurator(endpoint, config.compression()))
                .build();
    }

    @Override
    protected ServerSettings readSettings(ServerThreads threads) {
        Http11NioProtocol protocol = (Http11NioProtocol) connector.getProtocolHandler();
        int carriers = EmbeddedServerSupport.virtualThreadCarriers();
        return ServerSettings.of(name())
                // The workers read, parse, echo and write; the poller only waits for readiness.
                .put(ServerSettings.IO_THREADS, platformWorkers != null ? platformWorkers.getMaxThreads() : carriers)
                .putConfigured(ServerSettings.WORKER_THREADS, 0) // no second pool: the workers are the I/O threads
                .put(ServerSettings.ACCEPTOR_THREADS, threads.liveCount(thread -> thread.getName().endsWith("-Acceptor")))
                .put(ServerSettings.TRANSPORT, "Java NIO (" + protocol.getClass().getSimpleName() + "), "
                        + threads.liveCount(thread -> thread.getName().endsWith("-Poller")) + " poller")
                .put(ServerSettings.MAX_MESSAGE_BYTES, container.getDefaultMaxBinaryMessageBufferSize())
                .put("maxTextMessageChars", container.getDefaultMaxTextMessageBufferSize())
                .put(ServerSettings.IDLE_TIMEOUT_MS, container.getDefaultMaxSessionIdleTimeout())
                .put("connectionTimeoutMs", protocol.getConnectionTimeout())
                .putConfigured(ServerSettings.COMPRESSION, config.compression()) // the endpoints' configurator
                .put(ServerSettings.TLS, (protocol.isSSLEnabled() ? ServerTls.JDK : ServerTls.NONE).paramValue())
                .put(ServerSettings.BROADCAST, "Session set, getBasicRemote().send per member under its lock, "
                        + room.members.size() + " members")
                .put("tcpNoDelay", protocol.getTcpNoDelay())
                .put("virtualThreads", externalWorkers == null ? "none"
                        : "one per task, on " + carriers + " carrier threads")
                .put(ServerSettings.LIVE_THREADS, threads.liveCount())
                .build();
    }

    @Override
    protected void stop(ServerThreads threads) throws Exception {
        try {
            echo.closeEverySession();
            room.closeEverySession();
            if (tomcat != null) {
                tomcat.stop();
                tomcat.destroy();
            }
        } finally {
            endBackgroundThread();
            deleteBaseDir();
        }
    }

    /**
     * Tomcat's WebSocket idle-timeout thread is one per JVM, started with the first session and told to stop with
     * the last one; it notices only after its next one-second sleep. Once told, waking it ends it at once, so close()
     * need not wait for that second. On virtual threads it is not in this server's thread group (it was started from a
     * virtual thread), so it is joined here in both cases.
     */
    private static void endBackgroundThread() throws InterruptedException {
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread.getName().equals(STOPPING_BACKGROUND_THREAD)) {
                thread.interrupt();
                thread.join(ServerThreads.TIMEOUT.toMillis());
            }
        }
    }

    private void deleteBaseDir() {
        if (baseDir == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(baseDir)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(name() + " could not delete its base directory " + baseDir, e);
        }
    }

    /** Answers 404 to every request that is not a WebSocket upgrade at the endpoint's path. */
    private static final class NotFoundServlet extends HttpServlet {
        @Override
        protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.sendError(HttpServletResponse.SC_NOT_FOUND);
        }
    }

    /**
     * Hands out its one endpoint instance and decides everything else itself, so Tomcat never falls back to the JVM-wide
     * default configurator (Tyrus's, see the class comment). The rest is what Tomcat's default does: no subprotocol
     * is offered, any origin is accepted, extensions are those requested and installed, here only when compression
     * is on.
     */
    private static final class OneInstanceConfigurator extends ServerEndpointConfig.Configurator {
        private final Endpoint endpoint;
        private final boolean compression;

        OneInstanceConfigurator(Endpoint endpoint, boolean compression) {
            this.endpoint = endpoint;
            this.compression = compression;
        }

        @Override
        public <T> T getEndpointInstance(Class<T> endpointClass) {
            return endpointClass.cast(endpoint);
        }

        @Override
        public List<Extension> getNegotiatedExtensions(List<Extension> installed, List<Extension> requested) {
            if (!compression) {
                return List.of();
            }
            Set<String> installedNames = new HashSet<>();
            installed.forEach(extension -> installedNames.add(extension.getName()));
            return requested.stream().filter(extension -> installedNames.contains(extension.getName())).toList();
        }

        @Override
        public String getNegotiatedSubprotocol(List<String> supported, List<String> requested) {
            return requested.stream().filter(supported::contains).findFirst().orElse("");
        }

        @Override
        public boolean checkOrigin(String originHeaderValue) {
            return true;
        }

        @Override
        public void modifyHandshake(ServerEndpointConfig sec, HandshakeRequest request, HandshakeResponse response) {
            // Nothing to add to the handshake.
        }
    }

    /**
     * What the echo and the room share: the set of open sessions, for close(); the exact UTF-8 limit on text; and
     * closing a session whose send failed. One instance serves every connection; Tomcat delivers each session's
     * messages in order.
     */
    abstract static class SessionEndpoint extends Endpoint {

        private static final CloseReason STOPPING = new CloseReason(CloseCodes.GOING_AWAY, "server stopping");

        private final String serverName;
        private final String role;
        private final int maxMessageBytes;
        private final Set<Session> sessions = ConcurrentHashMap.newKeySet();
        private volatile boolean stopping;

        SessionEndpoint(String serverName, String role, int maxMessageBytes) {
            this.serverName = serverName;
            this.role = role;
            this.maxMessageBytes = maxMessageBytes;
        }

        @Override
        public void onOpen(Session session, EndpointConfig endpointConfig) {
            sessions.add(session);
            session.addMessageHandler(String.class, text -> {
                if (MessageLimits.exceedsUtf8Bytes(text, maxMessageBytes)) {
                    close(session, new CloseReason(CloseCodes.TOO_BIG,
                            "text message larger than " + maxMessageBytes + " bytes"));
                } else {
                    onText(session, text);
                }
            });
            // Tomcat's own binary buffer already closes a larger binary message with 1009.
            session.addMessageHandler(ByteBuffer.class, payload -> onBinary(session, payload));
            if (stopping) {
                // Opened while close() was closing the others: it may have missed this one.
                closeAtOnce(session);
            }
        }

        @Override
        public void onClose(Session session, CloseReason closeReason) {
            sessions.remove(session);
        }

        abstract void onText(Session session, String text);

        /** Must be done with {@code payload} when it returns: Tomcat reuses its buffer. */
        abstract void onBinary(Session session, ByteBuffer payload);

        /**
         * Sends every open session 1001 and closes its connection at once. Tomcat's own stop sends the 1001 too, but
         * then keeps each session for up to 30 s waiting for the client's reply (its session close timeout), and its
         * idle-timeout thread with it; close() is not to wait for clients.
         */
        void closeEverySession() {
            stopping = true;
            sessions.forEach(SessionEndpoint::closeAtOnce);
        }

        private static void closeAtOnce(Session session) {
            if (session instanceof WsSession tomcatSession) {
                tomcatSession.doClose(STOPPING, STOPPING, true);
            }
        }

        @Override
        public void onError(Session session, Throwable cause) {
            if (cause instanceof EOFException || cause instanceof ClosedChannelException) {
                // The client went without a close handshake, or this server is stopping: not a server fault.
                LOG.log(Level.FINE, serverName + " " + role + " session " + session.getId()
                        + " ended by its connection closing", cause);
                return;
            }
            LOG.log(Level.WARNING, serverName + " " + role + " session " + session.getId() + " failed: " + cause);
            LOG.log(Level.FINE, serverName + " " + role + " session failure", cause);
        }

        void sendFailed(Session session, Exception failure) {
            LOG.log(Level.WARNING, serverName + " " + role + " send on session " + session.getId()
                    + " failed; closing it", failure);
            close(session, new CloseReason(CloseCodes.UNEXPECTED_CONDITION, role + " send failed"));
        }

        private void close(Session session, CloseReason reason) {
            try {
                session.close(reason);
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.WARNING, serverName + " " + role + " could not close session " + session.getId()
                        + " with " + reason.getCloseCode() + ": " + e, e);
            }
        }
    }

    /**
     * Sends every message back through the session's basic (blocking) remote. Public only because Tomcat checks
     * endpoint classes reflectively; nothing outside this server creates one.
     */
    public static final class EchoEndpoint extends SessionEndpoint {

        private EchoEndpoint(String serverName, int maxMessageBytes) {
            super(serverName, "echo", maxMessageBytes);
        }

        @Override
        void onText(Session session, String text) {
            try {
                session.getBasicRemote().sendText(text);
            } catch (IOException e) {
                sendFailed(session, e);
            }
        }

        @Override
        void onBinary(Session session, ByteBuffer payload) {
            try {
                session.getBasicRemote().sendBinary(payload);
            } catch (IOException e) {
                sendFailed(session, e);
            }
        }
    }

    /**
     * The broadcast room: a session is a member from onOpen to onClose, with the lock its sends take turns on, and
     * every message goes to each member open at the time, the sender included. Public only because Tomcat checks
     * endpoint classes reflectively; nothing outside this server creates one.
     */
    public static final class RoomEndpoint extends SessionEndpoint {

        private final Map<Session, ReentrantLock> members = new ConcurrentHashMap<>();

        private RoomEndpoint(String serverName, int maxMessageBytes) {
            super(serverName, "room", maxMessageBytes);
        }

        @Override
        public void onOpen(Session session, EndpointConfig endpointConfig) {
            members.put(session, new ReentrantLock());
            super.onOpen(session, endpointConfig);
        }

        @Override
        public void onClose(Session session, CloseReason closeReason) {
            members.remove(session);
            super.onClose(session, closeReason);
        }

        @Override
        void onText(Session session, String text) {
            members.forEach((member, lock) -> relay(member, lock, remote -> remote.sendText(text)));
        }

        @Override
        void onBinary(Session session, ByteBuffer payload) {
            // Its own view per member: a send consumes the buffer's remaining bytes.
            members.forEach((member, lock) -> relay(member, lock, remote -> remote.sendBinary(payload.duplicate())));
        }

        /** A ReentrantLock, not synchronized: on tomcat-vt the blocked send must not pin its carrier (JDK 21–23). */
        private void relay(Session member, ReentrantLock lock, Send send) {
            lock.lock();
            try {
                if (member.isOpen()) {
                    send.to(member.getBasicRemote());
                }
            } catch (IOException e) {
                sendFailed(member, e);
            } catch (IllegalStateException e) {
                // Tomcat refuses any send once a session has closed: a member that closed meanwhile just misses it.
                if (member.isOpen()) {
                    sendFailed(member, e);
                }
            } finally {
                lock.unlock();
            }
        }

        private interface Send {
            void to(RemoteEndpoint.Basic remote) throws IOException;
        }
    }
}
