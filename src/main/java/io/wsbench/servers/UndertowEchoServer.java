package io.wsbench.servers;

import io.wsbench.server.EmbeddedEchoServer;
import io.wsbench.server.EmbeddedServerSupport;
import io.wsbench.server.SelfSignedTls;
import io.wsbench.server.ServerConfig;
import io.wsbench.server.ServerSettings;
import io.wsbench.server.ServerThreads;
import io.wsbench.server.ServerTls;

import io.undertow.Handlers;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.DefaultByteBufferPool;
import io.undertow.server.handlers.PathHandler;
import io.undertow.server.handlers.ResponseCodeHandler;
import io.undertow.websockets.WebSocketConnectionCallback;
import io.undertow.websockets.WebSocketProtocolHandshakeHandler;
import io.undertow.websockets.core.AbstractReceiveListener;
import io.undertow.websockets.core.BufferedBinaryMessage;
import io.undertow.websockets.core.BufferedTextMessage;
import io.undertow.websockets.core.WebSocketCallback;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.core.WebSockets;
import io.undertow.websockets.extensions.PerMessageDeflateHandshake;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.xnio.IoUtils;
import org.xnio.OptionMap;
import org.xnio.Options;
import org.xnio.Pooled;
import org.xnio.Xnio;
import org.xnio.XnioWorker;

/**
 * Undertow 2.4 core echo server: {@code Handlers.websocket(...)} with an {@link AbstractReceiveListener} whose
 * {@code onFullTextMessage}/{@code onFullBinaryMessage} send the message back with {@link WebSockets}, the echo of
 * Undertow's own WebSocket example. No servlets.
 *
 * <p>Equal resources, from {@code serverThreads} = N: an XNIO worker of N I/O threads ({@code undertow I/O-1..N}), the
 * echo running on them (Undertow calls receive listeners on the connection's I/O thread, its documented place for
 * work that never blocks, so nothing is handed to the worker pool); a task pool capped at N ({@code undertow task-n},
 * started only if a request is dispatched, which the echo never does); XNIO's separate acceptor ({@code undertow
 * Accept}). XNIO lets a worker's name be chosen, not the format of its thread names, hence those names. All of them
 * are created in this server's {@link ServerThreads} group, so {@link #close()} joins them.
 *
 * <p>Configuration, mirroring the other servers:
 * <ul>
 *   <li>one HTTP listener on {@code host:port}; TCP_NODELAY on accepted sockets;
 *   <li>the echo mounted at exactly {@code path}, a 404 for any other path;
 *   <li>text and binary messages up to {@code maxMessageBytes} inclusive, counted in bytes after fragments are
 *       joined; one byte more and Undertow sends 1009 ({@code getMaxTextBufferSize}/{@code getMaxBinaryBufferSize});
 *   <li>permessage-deflate only when {@code compression}; otherwise no extension is registered, so none is agreed;
 *   <li>{@code idleTimeout} for the HTTP connection and for the WebSocket channel after the upgrade;
 *   <li>UTF-8 validation, ping/pong, fragment aggregation and the close handshake are Undertow's;
 *   <li>TLS ({@code wss://}) when {@link ServerConfig#tls()} asks: an HTTPS listener in place of the HTTP one, with
 *       the JDK {@code SSLContext} of {@link SelfSignedTls}.
 * </ul>
 *
 * <p>The broadcast room at {@link ServerConfig#BROADCAST_PATH} is Undertow's chat example: a second {@code
 * Handlers.websocket(...)}, whose handshake handler keeps the set of its open channels ({@code getPeerConnections()}:
 * a channel joins at the upgrade and leaves when it closes), and {@code WebSockets.sendText}/{@code sendBinary} to each
 * of them. A binary message is joined into one heap buffer once, its pooled buffers freed, and each member sends a
 * duplicate of it. A member whose send fails is closed. Undertow queues every frame for a member without bound: a
 * member that reads slowly makes its queue, and the heap, grow; past {@code QUEUED_FRAMES_HIGH_WATER_MARK} (50)
 * queued frames Undertow stops reading from that member, which does not slow the senders.
 * Undertow and XNIO log through JBoss Logging to java.util.logging; their per-start INFO lines are quietened.
 */
public final class UndertowEchoServer extends EmbeddedEchoServer {

    /** Undertow's own default buffer for a JVM with more than 128 MiB of heap: 16 KiB less malloc overhead. */
    private static final int BUFFER_BYTES = 16 * 1024 - 20;

    /** Buffers each I/O thread keeps for itself, Undertow's default. */
    private static final int THREAD_LOCAL_BUFFERS = 4;

    /** No limit on pooled buffers, Undertow's default. */
    private static final int UNBOUNDED = -1;

    /** Undertow's own connection limits for the worker it would create itself: effectively none. */
    private static final int CONNECTION_WATER_MARK = 1_000_000;

    private static final Logger LOG = Logger.getLogger(UndertowEchoServer.class.getName());
    /** Held so java.util.logging keeps the quietened levels (it holds loggers weakly). */
    private static final Logger UNDERTOW_LOGS = EmbeddedServerSupport.quietUnlessConfigured("io.undertow");
    private static final Logger XNIO_LOGS = EmbeddedServerSupport.quietUnlessConfigured("org.xnio");
    private static final Logger JBOSS_THREADS_LOGS = EmbeddedServerSupport.quietUnlessConfigured("org.jboss.threads");

    private XnioWorker worker;
    private DefaultByteBufferPool buffers;
    private Undertow undertow;
    private WebSocketProtocolHandshakeHandler room;

    public UndertowEchoServer(ServerConfig config) {
        super("undertow", config);
    }

    @Override
    protected URI serve(ServerThreads threads) throws Exception {
        config.tls().requireJdkFor(name());
        worker = Xnio.getInstance(Undertow.class.getClassLoader()).createWorker(threads.group(), OptionMap.builder()
                .set(Options.WORKER_NAME, name())
                .set(Options.WORKER_IO_THREADS, config.serverThreads())
                .set(Options.WORKER_TASK_CORE_THREADS, config.serverThreads())
                .set(Options.WORKER_TASK_MAX_THREADS, config.serverThreads())
                .set(Options.THREAD_DAEMON, true)
                .set(Options.CONNECTION_HIGH_WATER, CONNECTION_WATER_MARK)
                .set(Options.CONNECTION_LOW_WATER, CONNECTION_WATER_MARK)
                .set(Options.TCP_NODELAY, true)
                .set(Options.CORK, true)
                .getMap());
        buffers = new DefaultByteBufferPool(true, BUFFER_BYTES, UNBOUNDED, THREAD_LOCAL_BUFFERS);
        Undertow.Builder builder = Undertow.builder()
                .setWorker(worker)
                .setByteBufferPool(buffers);
        if (config.tls().enabled()) {
            builder.addHttpsListener(config.port(), config.host(), SelfSignedTls.shared().sslContext());
        } else {
            builder.addHttpListener(config.port(), config.host());
        }
        undertow = builder
                .setSocketOption(Options.TCP_NODELAY, true)
                .setServerOption(UndertowOptions.IDLE_TIMEOUT, (int) Math.min(Integer.MAX_VALUE,
                        config.idleTimeout().toMillis()))
                .setHandler(handler())
                .build();
        undertow.start();
        InetSocketAddress bound = (InetSocketAddress) undertow.getListenerInfo().get(0).getAddress();
        return EmbeddedServerSupport.webSocketUri(config, bound.getPort());
    }

    private PathHandler handler() {
        long idleMillis = config.idleTimeout().toMillis();
        int maxMessageBytes = config.maxMessageBytes();
        WebSocketProtocolHandshakeHandler echo = webSocket((exchange, channel) -> {
            channel.setIdleTimeout(idleMillis);
            channel.getReceiveSetter().set(new EchoListener(maxMessageBytes));
            channel.resumeReceives();
        });
        room = webSocket((exchange, channel) -> {
            channel.setIdleTimeout(idleMillis);
            channel.getReceiveSetter().set(new RoomListener(maxMessageBytes));
            channel.resumeReceives();
        });
        return Handlers.path(ResponseCodeHandler.HANDLE_404)
                .addExactPath(config.path(), echo)
                .addExactPath(ServerConfig.BROADCAST_PATH, room);
    }

    private WebSocketProtocolHandshakeHandler webSocket(WebSocketConnectionCallback onConnect) {
        WebSocketProtocolHandshakeHandler handshake = Handlers.websocket(onConnect);
        if (config.compression()) {
            handshake.addExtension(new PerMessageDeflateHandshake());
        }
        return handshake;
    }

    @Override
    protected ServerSettings readSettings(ServerThreads threads) {
        Integer taskThreads;
        try {
            taskThreads = worker.getOption(Options.WORKER_TASK_MAX_THREADS);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the XNIO worker's task pool size: " + e, e);
        }
        return ServerSettings.of(name())
                .put(ServerSettings.IO_THREADS, worker.getIoThreadCount())
                .putConfigured(ServerSettings.WORKER_THREADS, 0) // the echo runs on the I/O threads, by design
                .put(ServerSettings.ACCEPTOR_THREADS, threads.liveCount(thread -> thread.getName().endsWith(" Accept")))
                .put(ServerSettings.TRANSPORT, "XNIO " + worker.getXnio().getName() + " (" + worker.getName() + ")")
                // Undertow gives no getter for these: the receive listeners' limits, its server options, its extensions.
                .putConfigured(ServerSettings.MAX_MESSAGE_BYTES, config.maxMessageBytes())
                .putConfigured(ServerSettings.IDLE_TIMEOUT_MS, config.idleTimeout().toMillis())
                .putConfigured(ServerSettings.COMPRESSION, config.compression())
                .put(ServerSettings.TLS, (undertow.getListenerInfo().get(0).getSslContext() == null
                        ? ServerTls.NONE : ServerTls.JDK).paramValue())
                .put(ServerSettings.BROADCAST, "WebSockets.sendText/sendBinary to getPeerConnections(), "
                        + room.getPeerConnections().size() + " members")
                .put("taskPoolMaxThreads", taskThreads)
                .put(ServerSettings.LIVE_THREADS, threads.liveCount())
                .build();
    }

    @Override
    protected void stop(ServerThreads threads) throws InterruptedException {
        try {
            if (undertow != null) {
                undertow.stop(); // closes the listener; the worker is ours to stop
            }
        } finally {
            if (worker != null) {
                stopWorker(worker);
            }
            if (buffers != null) {
                buffers.close();
            }
        }
    }

    /** Shuts the worker down, which closes every connection it still has, and waits for its threads. */
    private static void stopWorker(XnioWorker stopping) throws InterruptedException {
        stopping.shutdown();
        if (!stopping.awaitTermination(ServerThreads.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            stopping.shutdownNow();
        }
    }

    /** A text echo holds no pooled buffer, so one callback serves every text message. */
    private static final Sent TEXT_SENT = new Sent("echo", null);

    /** A room message to one member holds no pooled buffer either. */
    private static final Sent ROOM_SENT = new Sent("room message", null);

    /**
     * One per connection; Undertow calls it on the connection's I/O thread, one message at a time. The echo frees
     * a binary message's pooled buffers once it has been written.
     */
    private static class EchoListener extends AbstractReceiveListener {

        private final long maxMessageBytes;

        EchoListener(long maxMessageBytes) {
            this.maxMessageBytes = maxMessageBytes;
        }

        @Override
        protected long getMaxTextBufferSize() {
            return maxMessageBytes;
        }

        @Override
        protected long getMaxBinaryBufferSize() {
            return maxMessageBytes;
        }

        @Override
        protected void onFullTextMessage(WebSocketChannel channel, BufferedTextMessage message) {
            WebSockets.sendText(message.getData(), channel, TEXT_SENT);
        }

        @Override
        protected void onFullBinaryMessage(WebSocketChannel channel, BufferedBinaryMessage message) {
            Pooled<ByteBuffer[]> data = message.getData();
            WebSockets.sendBinary(data.getResource(), channel, new Sent("echo", data));
        }

        @Override
        protected void onError(WebSocketChannel channel, Throwable error) {
            LOG.log(Level.FINE, "undertow echo channel from " + channel.getSourceAddress() + " failed", error);
            super.onError(channel, error);
        }
    }

    /**
     * The room: every whole message goes to each open channel of the room's handshake handler, the sender included.
     * Undertow calls it on the sender's I/O thread one message at a time, so a sender's messages are queued to each
     * member in the order it sent them.
     */
    private static final class RoomListener extends EchoListener {

        RoomListener(long maxMessageBytes) {
            super(maxMessageBytes);
        }

        @Override
        protected void onFullTextMessage(WebSocketChannel channel, BufferedTextMessage message) {
            String text = message.getData();
            for (WebSocketChannel member : channel.getPeerConnections()) {
                WebSockets.sendText(text, member, ROOM_SENT);
            }
        }

        @Override
        protected void onFullBinaryMessage(WebSocketChannel channel, BufferedBinaryMessage message) {
            ByteBuffer payload;
            try (Pooled<ByteBuffer[]> data = message.getData()) {
                payload = WebSockets.mergeBuffers(data.getResource()); // what sendBinary(ByteBuffer[]) does per call
            }
            for (WebSocketChannel member : channel.getPeerConnections()) {
                WebSockets.sendBinary(payload.duplicate(), member, ROOM_SENT);
            }
        }
    }

    /**
     * Frees the sent message's buffers, if it had pooled ones, and closes the channel if the send failed; a channel
     * already closing is routine (a room member leaving as a message reached it).
     */
    private static final class Sent implements WebSocketCallback<Void> {

        private final String what;
        private final Pooled<ByteBuffer[]> data;

        Sent(String what, Pooled<ByteBuffer[]> data) {
            this.what = what;
            this.data = data;
        }

        @Override
        public void complete(WebSocketChannel channel, Void context) {
            free();
        }

        @Override
        public void onError(WebSocketChannel channel, Void context, Throwable failure) {
            free();
            if (channel.isCloseFrameReceived() || channel.isCloseFrameSent()) {
                LOG.log(Level.FINE, "undertow " + what + " to a closing channel not sent", failure);
                return;
            }
            LOG.log(Level.WARNING, "undertow " + what + " to " + channel.getSourceAddress() + " could not be sent;"
                    + " closing the channel: " + failure);
            LOG.log(Level.FINE, "undertow " + what + " failure", failure);
            IoUtils.safeClose(channel);
        }

        private void free() {
            if (data != null) {
                data.close();
            }
        }
    }
}
