package io.wsbench.client;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts the bytes the client's connections read and write on the socket, under TLS and every WebSocket codec: what
 * permessage-deflate saves and what TLS adds, per message. One instance for all connections of a client, first in
 * each pipeline.
 */
@ChannelHandler.Sharable
public final class WireBytes extends ChannelDuplexHandler {
    private final LongAdder read = new LongAdder();
    private final LongAdder written = new LongAdder();

    /** Bytes read from the sockets so far. */
    public long read() {
        return read.sum();
    }

    /** Bytes handed to the sockets so far. */
    public long written() {
        return written.sum();
    }

    /** Both directions together. */
    public long total() {
        return read() + written();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf buf) {
            read.add(buf.readableBytes());
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof ByteBuf buf) {
            written.add(buf.readableBytes());
        }
        ctx.write(msg, promise);
    }
}
