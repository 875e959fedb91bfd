package io.wsbench.server;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import java.net.URI;

/**
 * The physical floor: length-prefixed messages (4-byte big-endian length, then the payload) echoed
 * over plain TCP on the same Netty transport, thread count and TCP_NODELAY as the WebSocket servers.
 * The whole frame, header included, is written back as it was read, so the server does the least
 * work any echo can do and every WebSocket figure can be read as a ratio over this one.
 */
public final class RawTcpEchoServer implements EchoServer {
    /** Bytes of the length prefix in front of every raw-TCP message. */
    public static final int LENGTH_PREFIX_BYTES = 4;

    private final ServerConfig config;
    private NettyBinding binding;

    public RawTcpEchoServer(ServerConfig config) {
        this.config = config;
    }

    @Override
    public String name() {
        return "rawtcp";
    }

    @Override
    public synchronized URI start() {
        if (binding != null) {
            throw new IllegalStateException("rawtcp server already started");
        }
        binding = NettyBinding.bind(name(), config, new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                ch.pipeline().addLast(new LengthFieldBasedFrameDecoder(
                        config.maxMessageBytes() + LENGTH_PREFIX_BYTES, 0, LENGTH_PREFIX_BYTES, 0, 0));
                ch.pipeline().addLast(new FrameEcho());
            }
        });
        return URI.create("tcp://" + config.host() + ":" + binding.port());
    }

    @Override
    public synchronized void close() {
        if (binding != null) {
            NettyBinding b = binding;
            binding = null;
            b.close();
        }
    }

    private static final class FrameEcho extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object frame) {
            ctx.writeAndFlush(frame).addListener(ChannelFutureListener.FIRE_EXCEPTION_ON_FAILURE);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // A message over the limit or a failed write: nothing sensible to echo, so drop the connection.
            ctx.close();
        }
    }
}
