package io.wsbench.servers;

import io.wsbench.server.EchoServer;
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
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.wsbench.server.EmbeddedServerSupport;
import io.wsbench.server.ServerSettings;
import java.net.URI;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Netty 4.2 WebSocket echo: {@code HttpServerCodec} → {@code WebSocketServerProtocolHandler} (handshake,
 * ping/pong, close, UTF-8 validation, frame size limit) → {@code WebSocketFrameAggregator} (fragmented
 * messages echoed whole, same message limit) → an echo handler that writes the received frame back
 * without copying. An {@code IdleStateHandler} closes a connection idle for {@code idleTimeout} (1001), the idle
 * timeout every server has. permessage-deflate only when {@link ServerConfig#compression()} asks for it.
 * {@link #withTls} puts TLS in front for {@code wss://}: for standalone use and the client's TLS tests,
 * not for the benchmarks, which compare servers over plain WebSocket.
 */
public final class NettyEchoServer implements EchoServer {
    private final ServerConfig config;
    private final Supplier<ChannelHandler> echoHandler;
    private final SslContext tls;
    private NettyBinding binding;

    public NettyEchoServer(ServerConfig config) {
        this(config, EchoHandler::new, null);
    }

    private NettyEchoServer(ServerConfig config, Supplier<ChannelHandler> echoHandler, SslContext tls) {
        this.config = config;
        this.echoHandler = echoHandler;
        this.tls = tls;
    }

    /**
     * The same server with another last handler in place of the echo: for tests that need a server
     * which corrupts, drops, delays or reorders echoes. The handler receives whole text and binary frames.
     */
    public static NettyEchoServer withEchoHandler(ServerConfig config, Supplier<ChannelHandler> echoHandler) {
        return new NettyEchoServer(config, echoHandler, null);
    }

    /** The same server behind TLS with {@code serverTls}'s certificate: {@link #start()} returns a {@code wss://} URI. */
    public static NettyEchoServer withTls(ServerConfig config, SslContext serverTls) {
        return new NettyEchoServer(config, EchoHandler::new, serverTls);
    }

    @Override
    public String name() {
        return "netty";
    }

    @Override
    public synchronized URI start() {
        if (binding != null) {
            throw new IllegalStateException("netty server already started");
        }
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
                p.addLast(new WebSocketServerProtocolHandler(WebSocketServerProtocolConfig.newBuilder()
                        .websocketPath(config.path())
                        .maxFramePayloadLength(config.maxMessageBytes())
                        .allowExtensions(config.compression())
                        .withUTF8Validator(true)
                        .build()));
                p.addLast(new WebSocketFrameAggregator(config.maxMessageBytes()));
                p.addLast(echoHandler.get());
            }
        });
        return URI.create((tls == null ? "ws://" : "wss://") + config.host() + ":" + binding.port() + config.path());
    }

    @Override
    public synchronized ServerSettings settings() {
        EmbeddedServerSupport.requireStarted(binding != null, name());
        return binding.settings(name())
                .put(ServerSettings.MAX_MESSAGE_BYTES, config.maxMessageBytes())
                .put(ServerSettings.IDLE_TIMEOUT_MS, config.idleTimeout().toMillis())
                .put(ServerSettings.COMPRESSION, config.compression())
                .put(ServerSettings.LIVE_THREADS, EmbeddedServerSupport.liveThreads(this::ownsThread))
                .build();
    }

    @Override
    public synchronized void close() {
        if (binding != null) {
            NettyBinding b = binding;
            binding = null;
            b.close();
        }
    }

    /** Writes every whole text or binary message back as it came; the frame's buffer is handed on, not copied. */
    private static final class EchoHandler extends ChannelInboundHandlerAdapter {
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
