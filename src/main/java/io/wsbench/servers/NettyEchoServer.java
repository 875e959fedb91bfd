package io.wsbench.servers;

import io.wsbench.server.EmbeddedEchoServer;
import io.wsbench.server.NettyBinding;
import io.wsbench.server.ServerConfig;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.codec.http.websocketx.extensions.compression.WebSocketServerCompressionHandler;
import io.netty.handler.ssl.JdkSslContext;
import io.netty.handler.ssl.ReferenceCountedOpenSslContext;
import io.netty.handler.ssl.SslContext;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.wsbench.server.SelfSignedTls;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.wsbench.server.EmbeddedServerSupport;
import io.wsbench.server.ServerSettings;
import io.wsbench.server.ServerThreads;
import io.wsbench.server.ServerTls;
import java.net.URI;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Netty 4.2 WebSocket echo: {@code HttpServerCodec} → {@code WebSocketServerProtocolHandler} (handshake,
 * ping/pong, close, UTF-8 validation, frame size limit) → {@code WebSocketFrameAggregator} (fragmented
 * messages echoed whole, same message limit) → an echo handler that writes the received frame back
 * without copying. An {@code IdleStateHandler} closes a connection idle for {@code idleTimeout} (1001), the idle
 * timeout every server has. permessage-deflate only when {@link ServerConfig#compression()} asks for it; TLS in front
 * ({@code wss://}) when {@link ServerConfig#tls()} does, through the JDK's SSLEngine or BoringSSL.
 *
 * <p>The broadcast room at {@link ServerConfig#BROADCAST_PATH} is what Netty's users write: a {@link ChannelGroup} the
 * connection joins when its handshake completes (and leaves when it closes), and {@code group.writeAndFlush(frame)},
 * which sends a retained duplicate of the frame's buffer to every member with no copy. Nothing bounds a member's
 * outbound buffer: a subscriber that reads slowly makes its queue, and the heap, grow.
 */
public final class NettyEchoServer extends EmbeddedEchoServer {
    private final Supplier<ChannelHandler> echoHandler;
    private NettyBinding binding;
    private ChannelGroup room;
    private SslContext tls;

    public NettyEchoServer(ServerConfig config) {
        this(config, EchoHandler::new);
    }

    private NettyEchoServer(ServerConfig config, Supplier<ChannelHandler> echoHandler) {
        super("netty", config);
        this.echoHandler = echoHandler;
    }

    /**
     * The same server with another last handler in place of the echo: for tests that need a server
     * which corrupts, drops, delays or reorders echoes. The handler receives whole text and binary frames.
     */
    public static NettyEchoServer withEchoHandler(ServerConfig config, Supplier<ChannelHandler> echoHandler) {
        return new NettyEchoServer(config, echoHandler);
    }

    @Override
    protected URI serve(ServerThreads threads) {
        SslContext tls = config.tls().enabled() ? SelfSignedTls.shared().nettyContext(config.tls()) : null;
        this.tls = tls;
        ChannelGroup members = new DefaultChannelGroup(name() + "-room", GlobalEventExecutor.INSTANCE);
        binding = NettyBinding.bind(name(), config, new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                ChannelPipeline p = ch.pipeline();
                if (tls != null) {
                    p.addLast(tls.newHandler(ch.alloc()));
                }
                p.addLast(new IdleStateHandler(0, 0, config.idleTimeout().toMillis(), TimeUnit.MILLISECONDS));
                p.addLast(new HttpServerCodec());
                p.addLast(new HttpObjectAggregator(64 * 1024));
                if (config.compression()) {
                    p.addLast(new WebSocketServerCompressionHandler(config.maxMessageBytes()));
                }
                p.addLast(new EndpointRouter(members));
            }
        });
        room = members;
        return URI.create(config.webSocketScheme() + "://" + config.host() + ":" + binding.port() + config.path());
    }

    /**
     * Sends the upgrade request to the echo or to the room, by its path, then steps aside: the WebSocket handlers for
     * that endpoint take its place. A request for any other path goes to the echo's handlers, which answer 404.
     */
    private final class EndpointRouter extends ChannelInboundHandlerAdapter {
        private final ChannelGroup members;

        EndpointRouter(ChannelGroup members) {
            this.members = members;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof FullHttpRequest request) {
                boolean toRoom = new QueryStringDecoder(request.uri()).path().equals(ServerConfig.BROADCAST_PATH);
                ChannelPipeline p = ctx.pipeline();
                String self = ctx.name();
                p.addAfter(self, "ws-protocol", new WebSocketServerProtocolHandler(WebSocketServerProtocolConfig.newBuilder()
                        .websocketPath(toRoom ? ServerConfig.BROADCAST_PATH : config.path())
                        .maxFramePayloadLength(config.maxMessageBytes())
                        .allowExtensions(config.compression())
                        .withUTF8Validator(true)
                        .build()));
                p.addAfter("ws-protocol", "ws-aggregator", new WebSocketFrameAggregator(config.maxMessageBytes()));
                p.addAfter("ws-aggregator", "ws-endpoint", toRoom ? new RoomHandler(members) : echoHandler.get());
                p.remove(this);
            }
            ctx.fireChannelRead(msg);
        }
    }

    @Override
    protected ServerSettings readSettings(ServerThreads threads) {
        // The limits, the idle timeout and compression live in each connection's handlers, made from the config.
        return binding.settings(name())
                .putConfigured(ServerSettings.MAX_MESSAGE_BYTES, config.maxMessageBytes())
                .putConfigured(ServerSettings.IDLE_TIMEOUT_MS, config.idleTimeout().toMillis())
                .putConfigured(ServerSettings.COMPRESSION, config.compression())
                .put(ServerSettings.TLS, tlsImplementation(tls))
                .put(ServerSettings.BROADCAST, "ChannelGroup.writeAndFlush, " + room.size() + " members")
                .put(ServerSettings.LIVE_THREADS, EmbeddedServerSupport.liveThreads(this::ownsThread))
                .build();
    }

    /** Which TLS the live context does: JdkSslContext is the JDK's SSLEngine, Netty's OpenSSL contexts BoringSSL. */
    private static String tlsImplementation(SslContext context) {
        if (context == null) {
            return ServerTls.NONE.paramValue();
        }
        if (context instanceof JdkSslContext) {
            return ServerTls.JDK.paramValue();
        }
        if (context instanceof ReferenceCountedOpenSslContext) {
            return ServerTls.OPENSSL.paramValue();
        }
        return context.getClass().getSimpleName();
    }

    /** Netty's event loops run outside the server's group; they carry its name ({@code netty-io-1}). */
    @Override
    public boolean ownsThread(Thread thread) {
        return NettyBinding.isEventLoopOf(name(), thread);
    }

    @Override
    protected void stop(ServerThreads threads) {
        if (binding != null) {
            binding.close();
        }
    }

    /**
     * The broadcast room: a connection joins the group when its handshake completes (the group drops it when it
     * closes), and every whole text or binary message goes to all members, the sender included.
     */
    private static final class RoomHandler extends EchoHandler {
        private final ChannelGroup members;

        RoomHandler(ChannelGroup members) {
            this.members = members;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof TextWebSocketFrame || msg instanceof BinaryWebSocketFrame) {
                members.writeAndFlush(msg); // a retained duplicate per member; the group releases msg
            } else {
                super.channelRead(ctx, msg);
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            if (event instanceof WebSocketServerProtocolHandler.HandshakeComplete) {
                members.add(ctx.channel());
            }
            super.userEventTriggered(ctx, event);
        }
    }

    /** Writes every whole text or binary message back as it came; the frame's buffer is handed on, not copied. */
    private static class EchoHandler extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof TextWebSocketFrame || msg instanceof BinaryWebSocketFrame) {
                ctx.writeAndFlush(msg).addListener(ChannelFutureListener.FIRE_EXCEPTION_ON_FAILURE);
            } else if (msg instanceof FullHttpRequest request) {
                // Not an upgrade at our path (the protocol handler passes those on): answer like Jetty and Tyrus do.
                request.release();
                FullHttpResponse notFound = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NOT_FOUND);
                notFound.headers().set(HttpHeaderNames.CONTENT_LENGTH, 0);
                ctx.writeAndFlush(notFound).addListener(ChannelFutureListener.CLOSE);
            } else {
                ctx.fireChannelRead(msg);
            }
        }

        /** The idle timeout every server has: a connection with no traffic for that long is closed with 1001. */
        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            if (event instanceof IdleStateEvent) {
                ctx.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.ENDPOINT_UNAVAILABLE))
                        .addListener(ChannelFutureListener.CLOSE);
            } else {
                ctx.fireUserEventTriggered(event);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // The aggregator reports a fragmented message over the limit this way; RFC 6455 wants 1009.
            WebSocketCloseStatus status = cause instanceof TooLongFrameException
                    ? WebSocketCloseStatus.MESSAGE_TOO_BIG : WebSocketCloseStatus.INTERNAL_SERVER_ERROR;
            if (ctx.channel().isActive()) {
                ctx.writeAndFlush(new CloseWebSocketFrame(status)).addListener(ChannelFutureListener.CLOSE);
            }
        }
    }
}
