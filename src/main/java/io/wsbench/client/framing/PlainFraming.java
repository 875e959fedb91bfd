package io.wsbench.client.framing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;

/** Plain WebSocket echoes: each message is one WebSocket message, sent and received as it is, without a copy. */
public final class PlainFraming implements MessageFraming {

    @Override
    public void opened(Channel channel, Sink sink) {
        sink.ready();
    }

    @Override
    public WebSocketFrame encode(ByteBufAllocator alloc, ByteBuf message, boolean text) {
        return text ? new TextWebSocketFrame(message) : new BinaryWebSocketFrame(message);
    }

    @Override
    public void decode(Channel channel, WebSocketFrame frame, Sink sink) {
        sink.echo(frame.content(), frame instanceof TextWebSocketFrame);
    }
}
