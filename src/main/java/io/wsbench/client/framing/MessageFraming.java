package io.wsbench.client.framing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.wsbench.wire.EchoProtocol;
import java.time.Duration;

/**
 * How one client connection puts its messages into WebSocket messages and finds the echoes in what comes back:
 * {@link PlainFraming} (one message per WebSocket message) or {@link SocketIoFraming} (Socket.IO events). One
 * instance per connection, used on its event loop only; it may keep state (a protocol handshake).
 */
public interface MessageFraming {

    /** A new framing for one connection; {@code handshakeTimeout} bounds a protocol handshake after the WebSocket one. */
    static MessageFraming create(EchoProtocol protocol, Duration handshakeTimeout) {
        return switch (protocol) {
            case WEBSOCKET -> new PlainFraming();
            case SOCKETIO -> new SocketIoFraming(handshakeTimeout);
        };
    }

    /** The WebSocket handshake is done: call {@link Sink#ready()} once the connection can carry messages. */
    void opened(Channel channel, Sink sink);

    /** The WebSocket message that carries {@code message}, whose buffer it takes over. */
    WebSocketFrame encode(ByteBufAllocator alloc, ByteBuf message, boolean text);

    /**
     * One whole text or binary WebSocket message from the server: hands each echo it carries to {@link
     * Sink#echo}, answers protocol messages itself. The caller releases {@code frame}.
     */
    void decode(Channel channel, WebSocketFrame frame, Sink sink);

    /** What a framing tells its connection. */
    interface Sink {

        /** The connection can carry messages now. */
        void ready();

        /** An echo, to be verified; {@code content} is valid during the call only. */
        void echo(ByteBuf content, boolean text);

        /** The connection cannot go on: {@code message} says what the server did. */
        void failed(Problem problem, String message);
    }

    /** What kind of trouble a framing found. */
    enum Problem {
        /** The protocol's own handshake failed or timed out. */
        HANDSHAKE,
        /** A message that should carry an echo is malformed. */
        CORRUPTED,
        /** A message the protocol allows, but not here. */
        UNEXPECTED,
        /** The server ended the session inside the protocol. */
        CLOSED
    }
}
