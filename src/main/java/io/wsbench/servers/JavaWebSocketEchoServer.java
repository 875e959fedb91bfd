package io.wsbench.servers;

import io.wsbench.server.EmbeddedEchoServer;
import io.wsbench.server.EmbeddedServerSupport;
import io.wsbench.server.SelfSignedTls;
import io.wsbench.server.ServerConfig;
import io.wsbench.server.ServerSettings;
import io.wsbench.server.ServerThreads;
import io.wsbench.server.ServerTls;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.java_websocket.WebSocket;
import org.java_websocket.drafts.Draft;
import org.java_websocket.drafts.Draft_6455;
import org.java_websocket.exceptions.InvalidDataException;
import org.java_websocket.extensions.IExtension;
import org.java_websocket.extensions.permessage_deflate.PerMessageDeflateExtension;
import org.java_websocket.framing.CloseFrame;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.handshake.ServerHandshakeBuilder;
import org.java_websocket.server.DefaultSSLWebSocketServerFactory;
import org.java_websocket.server.WebSocketServer;

/**
 * Java-WebSocket 1.6 echo server: a {@link WebSocketServer} subclass whose {@code onMessage(String)} and {@code
 * onMessage(ByteBuffer)} send the message back, the library's own example of a server.
 *
 * <p>Equal resources, from {@code serverThreads} = N: N decoder threads ({@code WebSocketServer(address,
 * decodercount)}), which parse frames and run the echo, renamed {@code javawebsocket-worker-1..N} through the decoder
 * list the library hands to subclasses; and Java-WebSocket's one selector thread, which accepts, reads and writes for
 * every connection and cannot be multiplied ({@code javawebsocket-io-1}, renamed from {@code onStart}, which runs on
 * it). So the settings say one I/O thread and N workers whatever N is (EqualResourcesTest lists the exception), and
 * N = 1 gives two threads that both carry every message. A third thread ({@code connectionLostChecker-1}) pings
 * connections every {@code idleTimeout}. The server is created and started from a thread of this server's {@link
 * ServerThreads} group, so all of them land there and {@link #close()} joins them.
 *
 * <p>Configuration, mirroring the other servers:
 * <ul>
 *   <li>{@code host:port}, TCP_NODELAY on accepted sockets;
 *   <li>upgrades at any path other than {@code path} refused with the library's 404 (throwing {@link
 *       InvalidDataException} from {@code onWebsocketHandshakeReceivedAsServer});
 *   <li>frames and whole messages up to {@code maxMessageBytes} inclusive, 1009 above (Draft_6455's max frame size,
 *       which it also applies to the joined fragments of a message);
 *   <li>permessage-deflate only when {@code compression} (Java-WebSocket's {@link PerMessageDeflateExtension});
 *   <li>{@code idleTimeout} as Java-WebSocket's connection-lost timeout, its nearest setting: it has no idle timeout,
 *       but pings every connection each {@code idleTimeout} and closes one whose last pong is older than 1.5 times
 *       that; a silent but live client is therefore never closed;
 *   <li>UTF-8 validation, ping/pong, fragment aggregation and the close handshake are Java-WebSocket's;
 *   <li>TLS ({@code wss://}) when {@code tls} asks for it: the library's {@link DefaultSSLWebSocketServerFactory} over
 *       the JDK's SSLEngine, whose delegated handshake tasks run on one more thread the factory starts when first
 *       needed (an {@code Executors.newSingleThreadScheduledExecutor()}, shut down by {@code stop}).
 * </ul>
 *
 * <p>The broadcast room at {@link ServerConfig#BROADCAST_PATH} is the library's own idiom: a set of the connections
 * whose resource descriptor is that path (joined in {@code onOpen}, left in {@code onClose}) handed to {@code
 * broadcast(message, clients)}, which frames the message once per draft and queues the frames on every member, on the
 * decoder thread that received it, skipping a member that has closed meanwhile. Nothing bounds a member's out-queue
 * (an unbounded {@code LinkedBlockingQueue} the selector thread drains): a subscriber that reads slowly makes its
 * queue, and the heap, grow.
 * Java-WebSocket logs through SLF4J (routed to java.util.logging here); its INFO lines are quietened.
 *
 * <p>Known fault, the library's: under sustained load an echo now and then stays in its connection's out-queue,
 * because the selector thread resets the key's interest to OP_READ after finding the queue empty while a decoder
 * thread has just queued a frame and asked for OP_WRITE. The benchmarks fail such a trial naming the message;
 * docs/faults.md has the evidence (scripts/probe/JavaWebSocketStall.java).
 */
public final class JavaWebSocketEchoServer extends EmbeddedEchoServer {

    private static final String SELECTOR_THREAD_NAME = "javawebsocket-io-1";
    private static final Logger LOG = Logger.getLogger(JavaWebSocketEchoServer.class.getName());
    /** Held so java.util.logging keeps the quietened level (it holds loggers weakly). */
    private static final Logger JAVA_WEBSOCKET_LOGS = EmbeddedServerSupport.quietUnlessConfigured("org.java_websocket");

    private EchoWebSocketServer server;

    public JavaWebSocketEchoServer(ServerConfig config) {
        super("javawebsocket", config);
    }

    @Override
    protected URI serve(ServerThreads threads) throws Exception {
        config.tls().requireJdkFor(name());
        // Created in the group too: the library creates its decoder threads in the constructor.
        server = threads.callInGroup("javawebsocket-start", () -> {
            EchoWebSocketServer created = new EchoWebSocketServer(config);
            created.start();
            return created;
        });
        try {
            server.started.get(ServerThreads.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            // onError's failure (a taken port), not the future's wrapper, is what the start error should name.
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
        return EmbeddedServerSupport.webSocketUri(config, server.getPort());
    }

    @Override
    protected ServerSettings readSettings(ServerThreads threads) {
        Draft_6455 draft = (Draft_6455) server.getDraft().get(0);
        boolean deflate = draft.getKnownExtensions().stream().anyMatch(PerMessageDeflateExtension.class::isInstance);
        return ServerSettings.of(name())
                // The library's one selector thread, whatever serverThreads says, by the name onStart gives it.
                .put(ServerSettings.IO_THREADS, threads.liveCount(thread -> thread.getName().equals(SELECTOR_THREAD_NAME)))
                .put(ServerSettings.WORKER_THREADS, server.decoderCount())
                .putConfigured(ServerSettings.ACCEPTOR_THREADS, 0) // the selector accepts, by the library's design
                .putConfigured(ServerSettings.TRANSPORT, "Java NIO, one selector thread")
                .put(ServerSettings.MAX_MESSAGE_BYTES, draft.getMaxFrameSize())
                .put(ServerSettings.IDLE_TIMEOUT_MS, server.getConnectionLostTimeout() * 1000L)
                .put("idleTimeoutIs", "connection-lost timeout: a ping every interval, closed without a pong")
                .put(ServerSettings.COMPRESSION, deflate)
                .put(ServerSettings.TLS, (server.getWebSocketFactory() instanceof DefaultSSLWebSocketServerFactory
                        ? ServerTls.JDK : ServerTls.NONE).paramValue())
                .put(ServerSettings.BROADCAST, "WebSocketServer.broadcast to the room's connections, "
                        + server.room.size() + " members")
                .put(ServerSettings.LIVE_THREADS, threads.liveCount())
                .build();
    }

    @Override
    protected void stop(ServerThreads threads) throws InterruptedException {
        if (server != null) {
            // Sends 1001 to every connection, then waits (bounded) for the selector thread to end.
            server.stop((int) ServerThreads.TIMEOUT.toMillis());
        }
    }

    private static final class EchoWebSocketServer extends WebSocketServer {

        /** Completed by {@link #onStart()} once bound, or failed by {@link #onError} with no connection. */
        final CompletableFuture<Void> started = new CompletableFuture<>();
        /** The open connections at {@link ServerConfig#BROADCAST_PATH}. */
        final Set<WebSocket> room = ConcurrentHashMap.newKeySet();
        private final String path;

        EchoWebSocketServer(ServerConfig config) {
            super(new InetSocketAddress(config.host(), config.port()), config.serverThreads(), List.of(draft(config)));
            this.path = config.path();
            setTcpNoDelay(true);
            // The JDK's default for server sockets, which Java-WebSocket turns off: without it no socket can bind the
            // port again while the connections this server closed wait in TIME_WAIT.
            setReuseAddr(true);
            setDaemon(true);
            setConnectionLostTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, config.idleTimeout().toSeconds())));
            if (config.tls().enabled()) {
                setWebSocketFactory(new DefaultSSLWebSocketServerFactory(SelfSignedTls.shared().sslContext()));
            }
            for (int i = 0; i < decoders.size(); i++) {
                decoders.get(i).setName("javawebsocket-worker-" + (i + 1));
            }
        }

        private static Draft draft(ServerConfig config) {
            List<IExtension> extensions = config.compression() ? List.of(new PerMessageDeflateExtension()) : List.of();
            return new Draft_6455(extensions, config.maxMessageBytes());
        }

        int decoderCount() {
            return decoders.size();
        }

        @Override
        public ServerHandshakeBuilder onWebsocketHandshakeReceivedAsServer(WebSocket conn, Draft draft,
                ClientHandshake request) throws InvalidDataException {
            String requestedPath = pathOf(request);
            if (!path.equals(requestedPath) && !ServerConfig.BROADCAST_PATH.equals(requestedPath)) {
                // Java-WebSocket answers a refused handshake with "404 WebSocket Upgrade Failure".
                throw new InvalidDataException(CloseFrame.POLICY_VALIDATION, "no WebSocket endpoint at " + requestedPath);
            }
            return super.onWebsocketHandshakeReceivedAsServer(conn, draft, request);
        }

        private static String pathOf(ClientHandshake request) {
            String resource = request.getResourceDescriptor();
            int query = resource.indexOf('?');
            return query < 0 ? resource : resource.substring(0, query);
        }

        @Override
        public void onStart() {
            Thread.currentThread().setName(SELECTOR_THREAD_NAME);
            started.complete(null);
        }

        @Override
        public void onOpen(WebSocket conn, ClientHandshake handshake) {
            if (ServerConfig.BROADCAST_PATH.equals(pathOf(handshake))) {
                room.add(conn);
            }
        }

        @Override
        public void onMessage(WebSocket conn, String message) {
            if (room.contains(conn)) {
                broadcast(message, room);
            } else {
                conn.send(message);
            }
        }

        @Override
        public void onMessage(WebSocket conn, ByteBuffer message) {
            if (room.contains(conn)) {
                broadcast(message, room);
            } else {
                conn.send(message);
            }
        }

        @Override
        public void onClose(WebSocket conn, int code, String reason, boolean remote) {
            room.remove(conn);
        }

        @Override
        public void onError(WebSocket conn, Exception failure) {
            if (conn == null) {
                // A server-level failure: before onStart the bind failed; the library shuts the server down.
                if (!started.completeExceptionally(failure)) {
                    LOG.log(Level.WARNING, "javawebsocket echo server failed: " + failure, failure);
                }
                return;
            }
            LOG.log(Level.FINE, "javawebsocket echo connection " + conn.getRemoteSocketAddress() + " failed", failure);
        }
    }
}
