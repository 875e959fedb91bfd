package io.wsbench.testing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.wsbench.servers.NettyEchoServer;
import io.wsbench.server.ServerConfig;
import java.nio.charset.StandardCharsets;

/** An echo server that, like many demo servers, puts fixed text in front of every echo ("Echo: hello"). */
public final class PrefixEcho {
    private PrefixEcho() {
    }

    public static NettyEchoServer server(String prefix) {
        byte[] prefixBytes = prefix.getBytes(StandardCharsets.UTF_8);
        return NettyEchoServer.withEchoHandler(ServerConfig.defaults(), () -> new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                if (!(msg instanceof WebSocketFrame frame)) {
                    ctx.fireChannelRead(msg);
                    return;
                }
                ByteBuf echo = Unpooled.wrappedBuffer(Unpooled.wrappedBuffer(prefixBytes), frame.content());
                ctx.writeAndFlush(frame instanceof TextWebSocketFrame ? new TextWebSocketFrame(echo) : new BinaryWebSocketFrame(echo));
            }
        });
    }
}
