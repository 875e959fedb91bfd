package io.wsbench.testing;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import io.wsbench.servers.NettyEchoServer;
import io.wsbench.server.ServerConfig;
import java.util.concurrent.TimeUnit;

/**
 * Echo handlers that misbehave on purpose at message number {@code n} (counting from 0 per
 * connection), for tests that prove the client catches every kind of broken echo.
 */
public final class FaultyEcho {
    private FaultyEcho() {
    }

    /**
     * What happens to message {@code n}: CORRUPT flips a bit of its last byte; DROP never echoes it; DELAY echoes it
     * late; REORDER echoes it after message n+1; CLOSE sends close code 1011 instead; STALE sends the echo of message
     * n-1 again in its place; SLOW_EVERY delays every echo.
     */
    public enum Fault { CORRUPT, DROP, DELAY, REORDER, CLOSE, STALE, SLOW_EVERY }

    /** A Netty echo server whose echo of message {@code n} suffers {@code fault}. */
    public static NettyEchoServer server(Fault fault, int n, long delayMillis) {
        if (fault == Fault.STALE && n < 1) {
            throw new IllegalArgumentException("STALE repeats message n-1, so n must be at least 1, was " + n);
        }
        return NettyEchoServer.withEchoHandler(ServerConfig.defaults(), () -> new Handler(fault, n, delayMillis));
    }

    private static final class Handler extends ChannelInboundHandlerAdapter {
        private final Fault fault;
        private final int n;
        private final long delayMillis;
        private int count;
        private WebSocketFrame held;

        Handler(Fault fault, int n, long delayMillis) {
            this.fault = fault;
            this.n = n;
            this.delayMillis = delayMillis;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (!(msg instanceof WebSocketFrame frame)) {
                ctx.fireChannelRead(msg);
                return;
            }
            int index = count++;
            if (fault == Fault.SLOW_EVERY) {
                ctx.executor().schedule(() -> ctx.writeAndFlush(frame), delayMillis, TimeUnit.MILLISECONDS);
                return;
            }
            if (index != n) {
                if (fault == Fault.STALE && index == n - 1) {
                    held = frame.copy();
                }
                ctx.writeAndFlush(frame);
                if (held != null && fault == Fault.REORDER) {
                    ctx.writeAndFlush(held);
                    held = null;
                }
                return;
            }
            switch (fault) {
                case CORRUPT -> {
                    int last = frame.content().writerIndex() - 1;
                    frame.content().setByte(last, frame.content().getByte(last) ^ 0x01);
                    ctx.writeAndFlush(frame);
                }
                case DROP -> ReferenceCountUtil.release(frame);
                case DELAY -> ctx.executor().schedule(() -> ctx.writeAndFlush(frame), delayMillis, TimeUnit.MILLISECONDS);
                case REORDER -> held = frame;
                case CLOSE -> {
                    ReferenceCountUtil.release(frame);
                    ctx.writeAndFlush(new CloseWebSocketFrame(1011, "test fault")).addListener(ChannelFutureListener.CLOSE);
                }
                case STALE -> {
                    ReferenceCountUtil.release(frame);
                    ctx.writeAndFlush(held);
                    held = null;
                }
                default -> throw new IllegalStateException("unhandled fault " + fault);
            }
        }

        @Override
        public void handlerRemoved(ChannelHandlerContext ctx) {
            if (held != null) {
                held.release();
                held = null;
            }
        }
    }
}
