package io.wsbench.servers;

import io.wsbench.server.NettyBinding;
import io.wsbench.server.ServerConfig;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.wsbench.server.EmbeddedEchoServer;
import io.wsbench.server.EmbeddedServerSupport;
import io.wsbench.server.ServerThreads;
import io.wsbench.server.ServerSettings;
import java.net.URI;

/**
 * The physical floor: the client sends length-prefixed messages (4-byte big-endian length, then the
 * payload) over plain TCP, and this server writes every byte it reads straight back, on the same
 * Netty transport, thread count and TCP_NODELAY as the WebSocket servers. It does not even parse the
 * messages: one read, one write, the least work any echo can do, so every WebSocket figure can be
 * read as a ratio over this one. (It enforces no message limit for the same reason; the client still
 * frames, checks and times every message.)
 */
public final class RawTcpEchoServer extends EmbeddedEchoServer implements FloorServer {
    private NettyBinding binding;

    public RawTcpEchoServer(ServerConfig config) {
        super("rawtcp", config);
    }

    @Override
    protected URI serve(ServerThreads threads) {
        binding = NettyBinding.bind(name(), config, new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                ch.pipeline().addLast(new ByteEcho());
            }
        });
        return URI.create("tcp://" + config.host() + ":" + binding.port());
    }

    @Override
    protected ServerSettings readSettings(ServerThreads threads) {
        return binding.settings(name())
                .putConfigured(ServerSettings.MAX_MESSAGE_BYTES, "none, bytes echoed unparsed")
                .putConfigured(ServerSettings.IDLE_TIMEOUT_MS, "none")
                .putConfigured(ServerSettings.COMPRESSION, false)
                .put(ServerSettings.LIVE_THREADS, EmbeddedServerSupport.liveThreads(this::ownsThread))
                .build();
    }

    /** Netty's event loops run outside the server's group; they carry its name ({@code rawtcp-io-1}). */
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

    private static final class ByteEcho extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object bytes) {
            ctx.writeAndFlush(bytes).addListener(ChannelFutureListener.FIRE_EXCEPTION_ON_FAILURE);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // A failed write: nothing sensible to echo, so drop the connection.
            ctx.close();
        }
    }
}
