package io.wsbench.servers;

import io.wsbench.server.EmbeddedEchoServer;
import io.wsbench.server.EmbeddedServerSupport;
import io.wsbench.server.SelfSignedTls;
import io.wsbench.server.ServerConfig;
import io.wsbench.server.ServerSettings;
import io.wsbench.server.ServerThreads;
import io.wsbench.server.ServerTls;
import io.wsbench.wire.Transport;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.FileSystemOptions;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.ServerWebSocketHandshake;
import io.vertx.core.net.JdkSSLEngineOptions;
import io.vertx.core.net.KeyStoreOptions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.net.BindException;
import java.net.URI;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Vert.x 5 echo server: {@code HttpServer.webSocketHandler} with {@code textMessageHandler}/{@code
 * binaryMessageHandler} writing each whole message back ({@code writeTextMessage}/{@code writeBinaryMessage}), in a
 * verticle deployed once per event loop, the way Vert.x scales a server over its event loops.
 *
 * <p>Equal resources, from {@code serverThreads} = N: N event loops ({@code vert.x-eventloop-thread-0..N-1}) and N
 * instances of the verticle, each with its own {@code HttpServer} on the shared port, so every event loop serves
 * connections (one server instance would use one event loop only); the echo runs on the event loop, Vert.x's rule
 * for code that never blocks; the worker and internal blocking pools capped at N and unused by the echo; Vert.x's
 * separate acceptor ({@code vert.x-acceptor-thread-0}) and its blocked-thread checker ({@code
 * vertx-blocked-thread-checker}, a timer waking once a second). Vert.x's public API does not name threads, hence its
 * names. Vert.x is created and closed from a thread of this server's {@link ServerThreads} group, so every thread it
 * starts lands there and {@link #close()} joins them.
 *
 * <p>Configuration, mirroring the other servers:
 * <ul>
 *   <li>{@code host:port} (port 0: one ephemeral port shared by all instances, Vert.x's negative-port form);
 *       TCP_NODELAY on; Netty's transport from {@code transport} (Vert.x runs on the project's Netty: epoll when
 *       {@code auto} finds it, as for the Netty server, through Vert.x's {@code preferNativeTransport});
 *   <li>upgrades at exactly {@code path} or {@link ServerConfig#BROADCAST_PATH} accepted in {@code
 *       webSocketHandshakeHandler}, any other path and any plain HTTP request answered 404;
 *   <li>frames and messages up to {@code maxMessageBytes} inclusive ({@code maxWebSocketFrameSize}, {@code
 *       maxWebSocketMessageSize});
 *   <li>permessage-deflate only when {@code compression}; the per-frame deflate extension never;
 *   <li>{@code idleTimeout} on every connection, HTTP or upgraded;
 *   <li>no file cache directory (the server serves no files); ping/pong and the close handshake are Vert.x's;
 *   <li>TLS ({@code wss://}) when {@code tls} asks for it: {@code setSsl(true)} with the certificate as a PKCS12
 *       {@link KeyStoreOptions} value, on the JDK's SSLEngine ({@link JdkSSLEngineOptions}, named so that Netty's
 *       OpenSSL on the class path is never picked).
 * </ul>
 *
 * <p>The broadcast room at {@link ServerConfig#BROADCAST_PATH}: one concurrent set of {@link ServerWebSocket}s shared
 * by the verticles (joined in {@code webSocketHandler}, left in {@code closeHandler}), and each whole message written
 * to every member with {@code writeTextMessage}/{@code writeBinaryMessage}, which Vert.x runs on the member's own
 * event loop. Not the event bus, the other fan-out Vert.x users write: the room lives in one process, where the bus
 * would add a message object per member and a copy of every binary payload (its Buffer codec copies on local
 * delivery) to what is measured. A write that fails on an open member closes it with 1011. Nothing bounds a member's
 * write queue: Vert.x accepts every write and only reports {@code writeQueueFull()} for its users to check, so a
 * subscriber that reads slowly makes its queue, and the heap, grow.
 *
 * <p>Where Vert.x 5.0.7 misses the contract (asserted exactly in WebSocketEchoContractTest's deviation lists, so a
 * fix upstream is noticed): a frame over the limit closes TCP without a close frame (Vert.x builds Netty's decoder
 * with {@code closeOnProtocolViolation(false)}), a fragmented message over it is dropped with only the exception
 * handler told and the connection left open, and text is not checked for UTF-8 (Vert.x adds no UTF-8 validator and
 * decodes with replacement). The echo is left as a Vert.x user would write it rather than patched around these.
 *
 * <p>{@link #close()} takes about a second: Vert.x's shutdown is notified through Netty's global event executor,
 * whose thread starts in this server's group and ends a second after its last task, and close() waits for it.
 * Vert.x logs through java.util.logging here; its INFO lines are quietened.
 */
public final class VertxEchoServer extends EmbeddedEchoServer {

    /** A port below zero asks Vert.x for one ephemeral port shared by every server listening with that number. */
    private static final int SHARED_EPHEMERAL_PORT = -1;

    private static final Logger LOG = Logger.getLogger(VertxEchoServer.class.getName());
    /** Held so java.util.logging keeps the quietened level (it holds loggers weakly). */
    private static final Logger VERTX_LOGS = EmbeddedServerSupport.quietUnlessConfigured("io.vertx");

    private Vertx vertx;
    private HttpServerOptions serverOptions;
    /** The open connections at {@link ServerConfig#BROADCAST_PATH}, from every verticle. */
    private final Set<ServerWebSocket> room = ConcurrentHashMap.newKeySet();
    /** How many of the verticles' HttpServers are listening. */
    private final AtomicInteger serversListening = new AtomicInteger();

    public VertxEchoServer(ServerConfig config) {
        super("vertx", config);
    }

    @Override
    protected URI serve(ServerThreads threads) throws Exception {
        config.tls().requireJdkFor(name());
        AtomicInteger boundPort = new AtomicInteger();
        boolean epoll = config.transport().resolve() == Transport.EPOLL;
        try {
            threads.callInGroup("vertx-start", () -> {
                vertx = Vertx.builder().with(new VertxOptions()
                        .setEventLoopPoolSize(config.serverThreads())
                        .setWorkerPoolSize(config.serverThreads())
                        .setInternalBlockingPoolSize(config.serverThreads())
                        .setPreferNativeTransport(epoll)
                        .setUseDaemonThread(true)
                        .setFileSystemOptions(new FileSystemOptions()
                                .setClassPathResolvingEnabled(false)
                                .setFileCachingEnabled(false)))
                        .build();
                if (epoll && !vertx.isNativeTransportEnabled()) {
                    throw new IllegalStateException("Vert.x could not use epoll: " + vertx.unavailableNativeTransportCause()
                            + "; use transport 'nio'");
                }
                serverOptions = serverOptions();
                HttpServerOptions options = serverOptions;
                int listenPort = config.port() == 0 ? SHARED_EPHEMERAL_PORT : config.port();
                await(vertx.deployVerticle(() -> new EchoVerticle(options, listenPort, config.host(), config.path(),
                        room, boundPort, serversListening), new DeploymentOptions().setInstances(config.serverThreads())));
                return null;
            });
        } catch (Exception e) {
            throw asBindException(e);
        }
        return EmbeddedServerSupport.webSocketUri(config, boundPort.get());
    }

    private HttpServerOptions serverOptions() throws GeneralSecurityException, IOException {
        HttpServerOptions options = new HttpServerOptions()
                .setTcpNoDelay(true)
                .setIdleTimeout((int) Math.min(Integer.MAX_VALUE, config.idleTimeout().toMillis()))
                .setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
                .setMaxWebSocketFrameSize(config.maxMessageBytes())
                .setMaxWebSocketMessageSize(config.maxMessageBytes())
                .setPerMessageWebSocketCompressionSupported(config.compression())
                .setPerFrameWebSocketCompressionSupported(false);
        if (config.tls().enabled()) {
            options.setSsl(true)
                    .setSslEngineOptions(new JdkSSLEngineOptions())
                    .setKeyCertOptions(new KeyStoreOptions()
                            .setType("PKCS12")
                            .setValue(pkcs12(SelfSignedTls.shared()))
                            .setPassword(SelfSignedTls.shared().password()));
        }
        return options;
    }

    /** The self-signed key store as PKCS12 bytes, the form Vert.x reads a key store from when it has no file. */
    private static Buffer pkcs12(SelfSignedTls tls) throws GeneralSecurityException, IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        tls.keyStore().store(bytes, tls.password().toCharArray());
        return Buffer.buffer(bytes.toByteArray());
    }

    /**
     * Netty's epoll transport reports a taken port as a {@code NativeIoException} ("bind(..) failed: Address already
     * in use"), not a {@link BindException}: wrapped in one, it gets the same "port N is already in use" message.
     */
    private static Exception asBindException(Exception failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof BindException) {
                return failure;
            }
            if (String.valueOf(cause.getMessage()).contains("Address already in use")) {
                BindException bind = new BindException(cause.getMessage());
                bind.initCause(failure);
                return bind;
            }
        }
        return failure;
    }

    /** Waits, bounded by {@link ServerThreads#TIMEOUT}, for a Vert.x future; its failure is rethrown as it came. */
    private static <T> T await(Future<T> future) throws Exception {
        try {
            return future.toCompletionStage().toCompletableFuture()
                    .get(ServerThreads.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        }
    }

    /**
     * Vert.x's public API exposes neither its pools nor its event loops, so the thread counts are read from the live
     * threads of this server's group, by the names Vert.x gives them.
     */
    @Override
    protected ServerSettings readSettings(ServerThreads threads) {
        return ServerSettings.of(name())
                .put(ServerSettings.IO_THREADS, threads.liveCount(thread -> thread.getName().startsWith("vert.x-eventloop-thread-")))
                .putConfigured(ServerSettings.WORKER_THREADS, 0) // the echo runs on the event loops, by design
                .put(ServerSettings.ACCEPTOR_THREADS, threads.liveCount(thread -> thread.getName().startsWith("vert.x-acceptor-thread-")))
                .put(ServerSettings.TRANSPORT, vertx.isNativeTransportEnabled() ? "Netty epoll (Vert.x native transport)"
                        : "Netty NIO")
                // The HttpServerOptions this server gave Vert.x, which copies them and exposes no getter for its copy.
                .putConfigured(ServerSettings.MAX_MESSAGE_BYTES, serverOptions.getMaxWebSocketMessageSize())
                .putConfigured(ServerSettings.IDLE_TIMEOUT_MS, serverOptions.getIdleTimeoutUnit().toMillis(
                        serverOptions.getIdleTimeout()))
                .putConfigured(ServerSettings.COMPRESSION, serverOptions.getPerMessageWebSocketCompressionSupported())
                .putConfigured(ServerSettings.TLS, (serverOptions.isSsl() ? ServerTls.JDK : ServerTls.NONE).paramValue())
                .put(ServerSettings.BROADCAST, "writeTextMessage/writeBinaryMessage to a set of ServerWebSocket, "
                        + room.size() + " members")
                .put("httpServers", serversListening.get())
                .put(ServerSettings.LIVE_THREADS, threads.liveCount())
                .build();
    }

    @Override
    protected void stop(ServerThreads threads) throws Exception {
        if (vertx != null) {
            // From a thread of the group: an event loop Netty starts only to shut it down lands there too.
            Vertx stopping = vertx;
            threads.callInGroup("vertx-stop", () -> await(stopping.close()));
        }
    }

    /** One per event loop: an {@code HttpServer} on the shared port whose connections this event loop serves. */
    private static final class EchoVerticle extends VerticleBase {

        private final HttpServerOptions options;
        private final int port;
        private final String host;
        private final String path;
        private final Set<ServerWebSocket> room;
        private final AtomicInteger boundPort;
        private final AtomicInteger listening;

        EchoVerticle(HttpServerOptions options, int port, String host, String path, Set<ServerWebSocket> room,
                AtomicInteger boundPort, AtomicInteger listening) {
            this.options = options;
            this.port = port;
            this.host = host;
            this.path = path;
            this.room = room;
            this.boundPort = boundPort;
            this.listening = listening;
        }

        @Override
        public Future<?> start() {
            return vertx.createHttpServer(options)
                    .requestHandler(request -> request.response().setStatusCode(404).end())
                    .webSocketHandshakeHandler(this::acceptAtPath)
                    .webSocketHandler(ws -> {
                        if (ServerConfig.BROADCAST_PATH.equals(ws.path())) {
                            join(room, ws);
                        } else {
                            echo(ws);
                        }
                    })
                    .listen(port, host)
                    .onSuccess(server -> {
                        boundPort.set(server.actualPort());
                        listening.incrementAndGet();
                    });
        }

        private void acceptAtPath(ServerWebSocketHandshake handshake) {
            if (path.equals(handshake.path()) || ServerConfig.BROADCAST_PATH.equals(handshake.path())) {
                handshake.accept();
            } else {
                handshake.reject(404);
            }
        }
    }

    private static void echo(ServerWebSocket ws) {
        ws.textMessageHandler(text -> ws.writeTextMessage(text).onFailure(failure -> sendFailed(ws, "echo", failure)));
        ws.binaryMessageHandler(data -> ws.writeBinaryMessage(data)
                .onFailure(failure -> sendFailed(ws, "echo", failure)));
        ws.exceptionHandler(failure -> LOG.log(Level.FINE, "vertx echo connection from " + ws.remoteAddress()
                + " failed", failure));
    }

    /** Adds a room connection: each of its whole messages is written to every member open now, itself included. */
    private static void join(Set<ServerWebSocket> room, ServerWebSocket ws) {
        room.add(ws);
        ws.closeHandler(closed -> room.remove(ws));
        ws.textMessageHandler(text -> {
            for (ServerWebSocket member : room) {
                member.writeTextMessage(text).onFailure(failure -> sendFailed(member, "broadcast", failure));
            }
        });
        ws.binaryMessageHandler(data -> {
            for (ServerWebSocket member : room) {
                // Each write takes its own slice of the buffer; the bytes are not copied.
                member.writeBinaryMessage(data).onFailure(failure -> sendFailed(member, "broadcast", failure));
            }
        });
        ws.exceptionHandler(failure -> LOG.log(Level.FINE, "vertx room connection from " + ws.remoteAddress()
                + " failed", failure));
    }

    private static void sendFailed(ServerWebSocket ws, String what, Throwable failure) {
        if (ws.isClosed()) {
            LOG.log(Level.FINE, "vertx " + what + " to " + ws.remoteAddress() + " not sent: the connection closed",
                    failure);
            return;
        }
        LOG.log(Level.WARNING, "vertx " + what + " to " + ws.remoteAddress() + " could not be sent; closing it: "
                + failure);
        ws.close((short) 1011, what + " send failed");
    }
}
