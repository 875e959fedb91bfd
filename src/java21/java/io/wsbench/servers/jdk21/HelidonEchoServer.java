package io.wsbench.servers.jdk21;

import io.wsbench.server.EmbeddedEchoServer;
import io.wsbench.server.EmbeddedServerSupport;
import io.wsbench.server.SelfSignedTls;
import io.wsbench.server.ServerConfig;
import io.wsbench.server.ServerSettings;
import io.wsbench.server.ServerThreads;
import io.wsbench.server.ServerTls;
import io.wsbench.wire.MessageLimits;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import io.helidon.common.buffers.BufferData;
import io.helidon.common.socket.SocketOptions;
import io.helidon.common.tls.Tls;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.websocket.WsConfig;
import io.helidon.webserver.websocket.WsRouting;
import io.helidon.websocket.WsCloseCodes;
import io.helidon.websocket.WsListener;
import io.helidon.websocket.WsSession;

/**
 * Helidon SE 4 echo server: Helidon's {@link WebServer} with a {@link WsRouting} endpoint at {@code path} whose
 * {@link WsListener} echoes whole messages, the way a Helidon user writes one. Helidon hands the listener every frame
 * as it arrives ({@code onMessage(session, part, last)}); the listener keeps the parts of a fragmented message and
 * sends it back as one message when {@code last} comes, so the echo is whole like every other server's.
 *
 * <p>Equal resources: Helidon has no selectors and no worker pool. One platform thread accepts ({@code
 * server-@default-listener}; Helidon names it), and every connection is served by its own virtual thread doing
 * blocking reads and writes (one virtual thread per connection, not per task). Virtual threads run on the JVM's
 * carrier threads, a JVM-wide pool that no server can size: the benchmark JVM ({@code RunningServer}) sets {@code
 * jdk.virtualThreadScheduler.parallelism} to N = {@code serverThreads} before its first virtual thread, unless the JVM
 * was started with it. {@code serverThreads} is otherwise unused here; settings() reports the live carriers' count
 * as the I/O threads, and {@link #ownsThread} counts them as this server's (in a benchmark JVM nothing else
 * runs virtual threads).
 *
 * <p>Configuration, mirroring the other servers:
 * <ul>
 *   <li>one listener on {@code host:port}, TCP_NODELAY on accepted sockets, no shutdown hook;
 *   <li>messages up to {@code maxMessageBytes} inclusive, larger ones closed with 1009: Helidon limits each frame
 *       ({@code maxFrameLength}, inclusive, 1009 above it) and the listener the sum of a message's fragments;
 *   <li>{@code idleTimeout} as Helidon's idle-connection timeout;
 *   <li>ping answered with a pong by the listener (Helidon leaves it to the listener); the close handshake is
 *       Helidon's, which replies 1000 whatever code the client sent;
 *   <li>TLS ({@code wss://}) when {@code tls} asks for it: the listener's {@code tls(Tls)} built from the JDK {@code
 *       SSLContext}, so every connection's virtual thread reads and writes through an {@code SSLSocket}.
 * </ul>
 *
 * <p>The broadcast room at {@link ServerConfig#BROADCAST_PATH} is a second {@link WsRouting} endpoint whose listeners
 * share a concurrent set of {@link WsSession}s (joined in {@code onOpen}, left in {@code onClose}/{@code onError}, or
 * when the listener closes it for a message over the limit):
 * each whole message is sent to every member with {@code session.send} from the sender's virtual thread. Helidon's
 * send writes to the member's socket then and there, under that session's send lock (no write queue: {@code
 * writeQueueLength} is 0 by default), so a member that reads slowly blocks every sender writing to it once its TCP
 * buffers fill, and with them the rest of the room; nothing is queued or dropped. Helidon calls neither {@code
 * onClose} nor {@code onError} when a connection ends without a close frame (its read throws past the listener), so
 * such a member leaves the room when a send to it fails; that failure is logged once.
 * Deviations Helidon 4.5.0 leaves no way around, asserted in the contract and teardown tests and listed in
 * results/conformance.md: no permessage-deflate (Helidon has no WebSocket extensions, so {@code compression} is not
 * honoured); text is decoded frame by frame without validation (invalid UTF-8 becomes U+FFFD and is echoed, a
 * character split across fragments is corrupted); and every started server leaves one daemon thread, {@value
 * #IDLE_TIMER_THREAD}, running after stop: Helidon never cancels its idle-connection timer (helidon-io/helidon#11939),
 * so close() joins every other thread but cannot end that one.
 * Helidon logs through System.Logger (java.util.logging here); its INFO lines are quietened to WARNING.
 */
public final class HelidonEchoServer extends EmbeddedEchoServer {

    /** The thread Helidon 4.5.0 leaves running after stop, one per server started. */
    public static final String IDLE_TIMER_THREAD = "helidon-idle-connection-timer";

    /** Where Helidon logs why a listener failed to start, instead of throwing it from start(). */
    private static final String START_FAILURE_LOGGER = "io.helidon.webserver.LoomServer";

    private static final Logger LOG = Logger.getLogger(HelidonEchoServer.class.getName());
    /** Held so java.util.logging keeps the quietened level (it holds loggers weakly). */
    private static final Logger HELIDON_LOGS = EmbeddedServerSupport.quietUnlessConfigured("io.helidon");

    /** The open sessions at {@link ServerConfig#BROADCAST_PATH}. */
    private final Set<WsSession> room = ConcurrentHashMap.newKeySet();
    private WebServer server;

    public HelidonEchoServer(ServerConfig config) {
        super("helidon", config);
    }

    @Override
    protected URI serve(ServerThreads threads) throws Exception {
        config.tls().requireJdkFor(name());
        StartFailures failures = new StartFailures();
        Logger startLogger = Logger.getLogger(START_FAILURE_LOGGER);
        startLogger.addHandler(failures);
        try {
            // Built and started from a thread of the server's group: Helidon creates its platform threads (the
            // listener, the idle timer) when it is built, in the builder's thread group.
            threads.callInGroup("helidon-start", () -> {
                WebServerConfig.Builder builder = WebServer.builder()
                        .host(config.host())
                        .port(config.port())
                        .shutdownHook(false)
                        .connectionOptions(SocketOptions.builder().tcpNoDelay(true).build())
                        .idleConnectionTimeout(config.idleTimeout())
                        .addProtocol(WsConfig.builder().maxFrameLength(config.maxMessageBytes()).build())
                        .addRouting(WsRouting.builder()
                                .endpoint(config.path(), () -> new EchoListener(config.maxMessageBytes()))
                                .endpoint(ServerConfig.BROADCAST_PATH,
                                        () -> new RoomListener(config.maxMessageBytes(), room)));
                if (config.tls().enabled()) {
                    builder.tls(Tls.builder().sslContext(SelfSignedTls.shared().sslContext()).build());
                }
                server = builder.build();
                server.start();
                return null;
            });
            if (!server.isRunning()) {
                Throwable cause = failures.first.get();
                throw new IllegalStateException("Helidon did not start: "
                        + (cause == null ? "no cause logged" : cause), cause);
            }
        } finally {
            startLogger.removeHandler(failures);
        }
        return EmbeddedServerSupport.webSocketUri(config, server.port());
    }

    @Override
    protected ServerSettings readSettings(ServerThreads threads) {
        // Helidon can stop by itself (a listener that failed); its settings are then no longer live.
        EmbeddedServerSupport.requireStarted(server.isRunning(), name());
        WebServerConfig running = server.prototype();
        int maxFrameLength = running.protocols().stream()
                .filter(WsConfig.class::isInstance).map(WsConfig.class::cast)
                .mapToInt(WsConfig::maxFrameLength).findFirst().orElse(-1);
        return ServerSettings.of(name())
                .put(ServerSettings.IO_THREADS, EmbeddedServerSupport.virtualThreadCarriers())
                .putConfigured(ServerSettings.WORKER_THREADS, 0) // the echo runs on the connection's virtual thread
                .put(ServerSettings.ACCEPTOR_THREADS, EmbeddedServerSupport.liveThreads(thread ->
                        threads.contains(thread) && thread.getName().endsWith("-listener")))
                .putConfigured(ServerSettings.TRANSPORT, "blocking sockets, one virtual thread per connection")
                .put(ServerSettings.MAX_MESSAGE_BYTES, maxFrameLength)
                .put(ServerSettings.IDLE_TIMEOUT_MS, running.idleConnectionTimeout().toMillis())
                // Helidon has no WebSocket extensions: a server asked for compression still runs without.
                .putConfigured(ServerSettings.COMPRESSION, false)
                .put(ServerSettings.TLS, (server.hasTls() ? ServerTls.JDK : ServerTls.NONE).paramValue())
                .put(ServerSettings.BROADCAST, "WsSession.send to a set of sessions, from the sender's virtual thread, "
                        + room.size() + " members")
                .put("tcpNoDelay", running.connectionOptions().tcpNoDelay())
                .put("virtualThreads", "one per connection, on " + EmbeddedServerSupport.virtualThreadCarriers()
                        + " carrier threads")
                .put(ServerSettings.LIVE_THREADS, threads.liveCount())
                .build();
    }

    /** Its connections run on the JVM's virtual threads, whose carriers are counted as its own. */
    @Override
    protected boolean runsOnVirtualThreads() {
        return true;
    }

    @Override
    protected boolean leftRunningByLibrary(Thread thread) {
        return thread.getName().equals(IDLE_TIMER_THREAD);
    }

    @Override
    protected void stop(ServerThreads threads) {
        if (server != null) {
            server.stop();
        }
    }

    /** Keeps the first failure Helidon logs while starting: it logs why a listener could not bind, never throws it. */
    private static final class StartFailures extends Handler {
        final AtomicReference<Throwable> first = new AtomicReference<>();

        @Override
        public void publish(LogRecord logRecord) {
            if (logRecord.getThrown() != null && logRecord.getLevel().intValue() >= Level.SEVERE.intValue()) {
                first.compareAndSet(null, logRecord.getThrown());
            }
        }

        @Override
        public void flush() {
            // Nothing buffered.
        }

        @Override
        public void close() {
            // Nothing held.
        }
    }

    /**
     * One per connection, called by its virtual thread, one frame at a time: collects a fragmented message and hands
     * it on whole on its last frame, closing with 1009 once the parts exceed the limit.
     */
    private abstract static class WholeMessageListener implements WsListener {
        private final int maxMessageBytes;
        private final StringBuilder textParts = new StringBuilder();
        private final ByteArrayOutputStream binaryParts = new ByteArrayOutputStream();
        private long partBytes;

        WholeMessageListener(int maxMessageBytes) {
            this.maxMessageBytes = maxMessageBytes;
        }

        /** A whole text message from {@code session}. */
        abstract void text(WsSession session, String text);

        /** A whole binary message from {@code session}, unread. */
        abstract void binary(WsSession session, BufferData data);

        @Override
        public void onMessage(WsSession session, String text, boolean last) {
            if (last && partBytes == 0 && textParts.isEmpty()) {
                if (MessageLimits.exceedsUtf8Bytes(text, maxMessageBytes)) {
                    tooBig(session, "text");
                    return;
                }
                text(session, text);
                return;
            }
            partBytes += MessageLimits.utf8Bytes(text);
            if (partBytes > maxMessageBytes) {
                tooBig(session, "text");
                return;
            }
            textParts.append(text);
            if (last) {
                String whole = textParts.toString();
                textParts.setLength(0);
                partBytes = 0;
                text(session, whole);
            }
        }

        @Override
        public void onMessage(WsSession session, BufferData buffer, boolean last) {
            if (last && partBytes == 0) {
                // One frame: Helidon has already held it to maxFrameLength = maxMessageBytes.
                binary(session, buffer);
                return;
            }
            partBytes += buffer.available();
            if (partBytes > maxMessageBytes) {
                tooBig(session, "binary");
                return;
            }
            binaryParts.writeBytes(buffer.readBytes());
            if (last) {
                byte[] whole = binaryParts.toByteArray();
                binaryParts.reset();
                partBytes = 0;
                binary(session, BufferData.create(whole));
            }
        }

        @Override
        public void onPing(WsSession session, BufferData buffer) {
            session.pong(buffer);
        }

        @Override
        public void onError(WsSession session, Throwable t) {
            LOG.log(Level.WARNING, "helidon session failed: " + t);
            LOG.log(Level.FINE, "helidon session failure", t);
        }

        /** Called before this listener ends its connection itself, which Helidon tells no listener of. */
        void terminating(WsSession session) {
            // Nothing held by an echo.
        }

        /** Sends 1009 and ends the connection (terminate() throws Helidon's exception for that). */
        private void tooBig(WsSession session, String kind) {
            terminating(session);
            session.close(WsCloseCodes.TOO_BIG, kind + " message larger than " + maxMessageBytes + " bytes");
            session.terminate();
        }
    }

    /** Sends every whole message back to its sender. */
    private static final class EchoListener extends WholeMessageListener {
        EchoListener(int maxMessageBytes) {
            super(maxMessageBytes);
        }

        @Override
        void text(WsSession session, String text) {
            session.send(text, true);
        }

        @Override
        void binary(WsSession session, BufferData data) {
            session.send(data, true);
        }
    }

    /** A member of the room: every whole message it sends goes to every member open now, itself included. */
    private static final class RoomListener extends WholeMessageListener {
        private final Set<WsSession> room;

        RoomListener(int maxMessageBytes, Set<WsSession> room) {
            super(maxMessageBytes);
            this.room = room;
        }

        @Override
        public void onOpen(WsSession session) {
            room.add(session);
        }

        @Override
        public void onClose(WsSession session, int status, String reason) {
            room.remove(session);
        }

        @Override
        public void onError(WsSession session, Throwable t) {
            room.remove(session);
            super.onError(session, t);
        }

        @Override
        void terminating(WsSession session) {
            room.remove(session);
        }

        @Override
        void text(WsSession session, String text) {
            for (WsSession member : room) {
                try {
                    member.send(text, true);
                } catch (RuntimeException e) {
                    leave(member, e);
                }
            }
        }

        @Override
        void binary(WsSession session, BufferData data) {
            // Helidon's send reads the buffer it is given: one wrapper of the same bytes per member.
            byte[] bytes = data.readBytes();
            for (WsSession member : room) {
                try {
                    member.send(BufferData.create(bytes), true);
                } catch (RuntimeException e) {
                    leave(member, e);
                }
            }
        }

        /** A member whose socket failed (or ended without a close frame, which Helidon tells no listener) leaves. */
        private void leave(WsSession member, RuntimeException failure) {
            if (room.remove(member)) {
                LOG.log(Level.WARNING, "helidon room member dropped, a send to it failed: " + failure);
            }
        }
    }
}
