package io.wsbench.testing;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import io.wsbench.servers.NettyEchoServer;
import io.wsbench.server.ServerConfig;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * A correct but slow echo server: each message takes a fixed time, one after another per connection,
 * so a connection echoes at most {@code 1 / perMessage} messages per second whatever is offered.
 * Echoes stay in order and intact, so only the rate (and latency) can give it away.
 */
public final class SlowEcho {
    private SlowEcho() {
    }

    public static NettyEchoServer serial(Duration perMessage) {
        return NettyEchoServer.withEchoHandler(ServerConfig.defaults(), () -> new Handler(perMessage.toNanos()));
    }

    private static final class Handler extends ChannelInboundHandlerAdapter {
        private final long perMessageNanos;
        private final ArrayDeque<WebSocketFrame> waiting = new ArrayDeque<>();

        Handler(long perMessageNanos) {
            this.perMessageNanos = perMessageNanos;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (!(msg instanceof WebSocketFrame frame)) {
                ctx.fireChannelRead(msg);
                return;
            }
            waiting.add(frame);
            if (waiting.size() == 1) {
                finishNextLater(ctx);
            }
        }

        private void finishNextLater(ChannelHandlerContext ctx) {
            ctx.executor().schedule(() -> {
                WebSocketFrame done = waiting.poll();
                if (done != null) {
                    ctx.writeAndFlush(done);
                }
                if (!waiting.isEmpty()) {
                    finishNextLater(ctx);
                }
            }, perMessageNanos, TimeUnit.NANOSECONDS);
        }

        @Override
        public void handlerRemoved(ChannelHandlerContext ctx) {
            waiting.forEach(ReferenceCountUtil::release);
            waiting.clear();
        }
    }
}
