package io.wsbench.client;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakeException;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler.ClientHandshakeStateEvent;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import io.netty.util.concurrent.ScheduledFuture;
import io.wsbench.client.EchoFailedException.Kind;
import io.wsbench.client.framing.MessageFraming;
import io.wsbench.wire.MessageLimits;
import java.net.URI;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import javax.net.ssl.SSLException;

/**
 * One client connection to an echo server, WebSocket or raw TCP.
 *
 * <p>On WebSocket, a {@link MessageFraming} chosen by the client's protocol puts each message into a WebSocket
 * message and takes each echo out of one: as they are, or as Socket.IO events.
 *
 * <p>Messages are numbered in send order; every echo is checked against the oldest message still in
 * flight, so a corrupted, lost (timed out) or reordered echo fails the connection with an {@link
 * EchoFailedException} that says which message and what came back. All per-message state lives on
 * the connection's event loop; other threads only send, wait and read counters.
 */
public final class EchoConnection {
    private final Channel channel;
    private final URI target;
    private final EchoPayload payload;
    private final boolean websocket;
    private final long echoTimeoutNanos;
    private final int maxInFlight;
    private final MessageFraming framing;
    private final FramingSink framingSink = new FramingSink();
    private final CompletableFuture<EchoConnection> ready = new CompletableFuture<>();
    private final InFlightQueue inFlight = new InFlightQueue();
    private volatile EchoListener listener;

    // Event-loop state.
    private long nextSendSequence;
    private long nextEchoSequence;
    private ScheduledFuture<?> timeoutCheck;

    // Read by other threads.
    private volatile long echoed;
    private volatile EchoFailedException failure;
    private volatile Thread waiter;
    private volatile boolean closing;

    EchoConnection(Channel channel, URI target, EchoPayload payload, ClientConfig config) {
        this.channel = channel;
        this.target = target;
        this.payload = payload;
        this.websocket = !"tcp".equals(target.getScheme());
        this.echoTimeoutNanos = config.echoTimeout().toNanos();
        this.maxInFlight = config.maxInFlightPerConnection();
        this.framing = MessageFraming.create(config.protocol(), config.connectTimeout());
    }

    public URI target() {
        return target;
    }

    public EchoPayload payload() {
        return payload;
    }

    /** Echoes verified so far. */
    public long echoed() {
        return echoed;
    }

    /** The failure that ended this connection, or null while it is healthy. */
    public EchoFailedException failure() {
        return failure;
    }

    /** Who hears about every echo and the failure, if any; set it before sending. */
    public void listener(EchoListener newListener) {
        this.listener = newListener;
    }

    /** The channel's event loop: a load generator schedules its sends there to avoid a thread hop. */
    public io.netty.channel.EventLoop eventLoop() {
        return channel.eventLoop();
    }

    CompletableFuture<EchoConnection> ready() {
        return ready;
    }

    ChannelInboundHandlerAdapter handler() {
        return new Handler();
    }

    /**
     * Sends the next message. Safe from any thread; on the event loop it is sent at once, from
     * elsewhere it is handed to the event loop.
     *
     * @param intendedSendNanos the {@link System#nanoTime()} at which this message was due
     */
    public void send(long intendedSendNanos) {
        if (channel.eventLoop().inEventLoop()) {
            sendNow(intendedSendNanos);
        } else {
            channel.eventLoop().execute(() -> sendNow(intendedSendNanos));
        }
    }

    /**
     * Sends one message and waits for its verified echo: the round trip of a ping-pong benchmark.
     *
     * @return nanoseconds from send to the echo's arrival in this thread
     * @throws EchoFailedException if the echo is wrong, missing after the echo timeout, or the connection failed,
     *     or if the waiting thread is interrupted (JMH does that to a benchmark past its {@code -to} timeout)
     */
    public long roundTrip() {
        throwIfFailed();
        long before = echoed;
        waiter = Thread.currentThread();
        long start = System.nanoTime();
        send(start);
        long deadline = start + echoTimeoutNanos;
        while (echoed == before) {
            throwIfFailed();
            // An interrupted thread's park returns at once: without this check the wait would spin until the deadline.
            if (Thread.currentThread().isInterrupted()) {
                throw interrupted(before, System.nanoTime() - start);
            }
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                throw timeout(before);
            }
            LockSupport.parkNanos(this, remaining);
        }
        long end = System.nanoTime();
        throwIfFailed();
        return end - start;
    }

    /** Throws the failure that ended this connection, if any. */
    public void throwIfFailed() {
        EchoFailedException f = failure;
        if (f != null) {
            throw new EchoFailedException(f.kind(), f.getMessage(), f);
        }
    }

    /**
     * Closes the connection: WebSocket close handshake (code 1000) where there is one, waiting at
     * most {@code timeout} for the server's answer, then the TCP connection.
     */
    public void close(Duration timeout) {
        closing = true;
        if (channel.isActive() && websocket) {
            channel.writeAndFlush(new CloseWebSocketFrame(1000, "bye"));
            channel.closeFuture().awaitUninterruptibly(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }
        channel.close().awaitUninterruptibly(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void sendNow(long intendedSendNanos) {
        if (failure != null || closing) {
            return;
        }
        if (inFlight.size() >= maxInFlight) {
            fail(new EchoFailedException(Kind.OVERLOADED, maxInFlight + " messages in flight on one connection to "
                    + target + ": the server is not keeping up with the offered rate; lower the rate or raise the limit"));
            return;
        }
        long sequence = nextSendSequence++;
        Object message;
        if (websocket) {
            message = framing.encode(channel.alloc(), payload.encode(channel.alloc(), sequence, 0), payload.type() == MessageType.TEXT);
        } else {
            ByteBuf buf = payload.encode(channel.alloc(), sequence, MessageLimits.RAW_TCP_LENGTH_PREFIX_BYTES);
            buf.setInt(0, payload.size());
            message = buf;
        }
        inFlight.add(intendedSendNanos, System.nanoTime());
        channel.writeAndFlush(message, channel.voidPromise());
    }

    private void onEcho(ByteBuf content, MessageType receivedType) {
        long receivedNanos = System.nanoTime();
        long sequence = nextEchoSequence;
        if (inFlight.isEmpty()) {
            fail(new EchoFailedException(Kind.UNEXPECTED, "unexpected message from " + target
                    + " with nothing in flight (" + content.readableBytes() + " bytes after " + sequence + " echoes)"));
            return;
        }
        if (receivedType != null && receivedType != payload.type()) {
            fail(new EchoFailedException(Kind.CORRUPTED, "echo of " + payload.type().name().toLowerCase()
                    + " message #" + sequence + " came back as " + receivedType.name().toLowerCase()));
            return;
        }
        String problem = payload.verify(content, sequence, inFlight.size());
        if (problem != null) {
            Kind kind = problem.startsWith("echoes out of order") ? Kind.OUT_OF_ORDER : Kind.CORRUPTED;
            fail(new EchoFailedException(kind, problem + " (from " + target + ")"));
            return;
        }
        long intended = inFlight.headIntended();
        long sent = inFlight.headSent();
        inFlight.removeHead();
        nextEchoSequence++;
        echoed = nextEchoSequence;
        EchoListener l = listener;
        if (l != null) {
            l.onEcho(this, intended, sent, receivedNanos);
        }
        Thread w = waiter;
        if (w != null) {
            LockSupport.unpark(w);
        }
    }

    private EchoFailedException timeout(long sequence) {
        return new EchoFailedException(Kind.TIMEOUT, "no echo of message #" + sequence + " from " + target + " within "
                + TimeUnit.NANOSECONDS.toMillis(echoTimeoutNanos) + " ms: the server stalled or dropped it");
    }

    private EchoFailedException interrupted(long sequence, long waitedNanos) {
        return new EchoFailedException(Kind.TIMEOUT, "interrupted after waiting " + TimeUnit.NANOSECONDS.toMillis(waitedNanos)
                + " ms for the echo of message #" + sequence + " from " + target + " (echo timeout "
                + TimeUnit.NANOSECONDS.toMillis(echoTimeoutNanos) + " ms): JMH interrupts a benchmark that runs past its"
                + " iteration timeout (-to); the server stalled or dropped the message, or -to is shorter than the iteration"
                + " (-r) plus one echo");
    }

    private void checkTimeout() {
        if (!inFlight.isEmpty() && System.nanoTime() - inFlight.headSent() > echoTimeoutNanos) {
            fail(timeout(nextEchoSequence));
        }
    }

    private void fail(EchoFailedException e) {
        if (failure != null) {
            return;
        }
        failure = e;
        ready.completeExceptionally(e);
        EchoListener l = listener;
        if (l != null) {
            l.onFailure(this, e);
        }
        Thread w = waiter;
        if (w != null) {
            LockSupport.unpark(w);
        }
        channel.close();
    }

    /** Why the TLS handshake failed, and what to do: an untrusted certificate is the usual case with test servers. */
    private EchoFailedException tlsFailure(Throwable cause) {
        CertificateException certificate = causeOfType(cause, CertificateException.class);
        if (certificate != null) {
            return new EchoFailedException(Kind.TLS, "TLS handshake with " + target + " failed: certificate not trusted ("
                    + certificate.getMessage() + "): add -p trustAllCertificates=true for a self-signed test server,"
                    + " or add its CA to the JDK trust store", cause);
        }
        if (causeOfType(cause, SslHandshakeTimeoutException.class) != null) {
            return new EchoFailedException(Kind.TLS, "no TLS handshake answer from " + target + " in time: does the server"
                    + " offer TLS on that port? use ws:// for a server without TLS", cause);
        }
        Throwable root = causeOfType(cause, SSLException.class);
        return new EchoFailedException(Kind.TLS, "TLS handshake with " + target + " failed: " + (root == null ? cause : root.getMessage())
                + "; does the server offer TLS on that port? use ws:// for a server without TLS", cause);
    }

    /** The server answered the upgrade request with something else than 101: say what, and what it usually means. */
    private EchoFailedException handshakeRefused(WebSocketClientHandshakeException refused) {
        HttpResponseStatus status = refused.response().status();
        String hint = switch (status.code()) {
            case 404 -> "nothing at that path: check the path in the target URI";
            case 401, 403 -> "the server refused the upgrade: it may want credentials or check the Origin";
            case 101 -> "it switched protocols but the answer is not a valid WebSocket handshake: " + refused.getMessage();
            default -> "is it a WebSocket endpoint? " + refused.getMessage();
        };
        return new EchoFailedException(Kind.HANDSHAKE, "WebSocket handshake with " + target + " refused: the server answered "
                + status + " instead of 101 Switching Protocols; " + hint, refused);
    }

    /** The first throwable of {@code type} in the cause chain of {@code failure} (bounded: chains can loop), or null. */
    private static <T extends Throwable> T causeOfType(Throwable failure, Class<T> type) {
        Throwable t = failure;
        for (int depth = 0; t != null && depth < 32; depth++, t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    private void connected() {
        long interval = Math.max(TimeUnit.MILLISECONDS.toNanos(10), Math.min(echoTimeoutNanos / 4, TimeUnit.SECONDS.toNanos(1)));
        timeoutCheck = channel.eventLoop().scheduleWithFixedDelay(this::checkTimeout, interval, interval, TimeUnit.NANOSECONDS);
        ready.complete(this);
    }

    /** What the framing finds in the server's messages, on the event loop: readiness, echoes, failures. */
    private final class FramingSink implements MessageFraming.Sink {
        @Override
        public void ready() {
            connected();
        }

        @Override
        public void echo(ByteBuf content, boolean text) {
            onEcho(content, text ? MessageType.TEXT : MessageType.BINARY);
        }

        @Override
        public void failed(MessageFraming.Problem problem, String message) {
            Kind kind = switch (problem) {
                case HANDSHAKE -> Kind.HANDSHAKE;
                case CORRUPTED -> Kind.CORRUPTED;
                case UNEXPECTED -> Kind.UNEXPECTED;
                case CLOSED -> Kind.CONNECTION_CLOSED;
            };
            fail(new EchoFailedException(kind, message + " (from " + target + ")"));
        }
    }

    /** Receives echoes (whole messages: fragments are aggregated before this handler) and connection events. */
    private final class Handler extends ChannelInboundHandlerAdapter {
        private CloseWebSocketFrame serverClose;

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            if (!websocket) {
                connected();
            }
            ctx.fireChannelActive();
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            if (event instanceof SslHandshakeCompletionEvent tls && !tls.isSuccess()) {
                fail(tlsFailure(tls.cause()));
            } else if (event == ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
                framing.opened(channel, framingSink);
            } else if (event == ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT) {
                fail(new EchoFailedException(Kind.HANDSHAKE, "no WebSocket handshake answer from " + target
                        + " in time: is it a WebSocket server, and is the path right?"));
            }
            ctx.fireUserEventTriggered(event);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (msg instanceof TextWebSocketFrame || msg instanceof BinaryWebSocketFrame) {
                    framing.decode(channel, (WebSocketFrame) msg, framingSink);
                } else if (msg instanceof CloseWebSocketFrame close) {
                    serverClose = close.retainedDuplicate();
                    if (!closing) {
                        fail(new EchoFailedException(Kind.CONNECTION_CLOSED, "server " + target + " closed the connection (code "
                                + close.statusCode() + " '" + close.reasonText() + "') with " + inFlight.size()
                                + " messages in flight"));
                    }
                    ctx.close();
                } else if (msg instanceof WebSocketFrame frame) {
                    fail(new EchoFailedException(Kind.UNEXPECTED, "unexpected " + frame.getClass().getSimpleName()
                            + " from " + target));
                } else if (msg instanceof ByteBuf buf) {
                    onEcho(buf, null);
                }
            } finally {
                io.netty.util.ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            boolean handshaking = !ready.isDone();
            String text = cause.getMessage() == null ? cause.toString() : cause.getMessage();
            if (handshaking && causeOfType(cause, SSLException.class) != null) {
                fail(tlsFailure(cause));
            } else if (cause instanceof WebSocketClientHandshakeException refused && refused.response() != null) {
                fail(handshakeRefused(refused));
            } else if (handshaking && websocket) {
                fail(new EchoFailedException(Kind.HANDSHAKE, "WebSocket handshake with " + target + " failed: " + text
                        + "; check that a WebSocket server listens there and the path is right", cause));
            } else {
                fail(new EchoFailedException(Kind.CONNECTION_CLOSED, "connection to " + target + " failed: " + text, cause));
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (timeoutCheck != null) {
                timeoutCheck.cancel(false);
            }
            if (serverClose != null) {
                serverClose.release();
            }
            if (!closing) {
                String stage = ready.isDone() ? "" : " during the handshake";
                fail(new EchoFailedException(Kind.CONNECTION_CLOSED, "server " + target + " closed the connection"
                        + stage + " with " + inFlight.size() + " messages in flight; did it crash or reject the messages?"));
            }
            ctx.fireChannelInactive();
        }
    }
}
