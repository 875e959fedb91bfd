package io.wsbench.client.framing;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A Socket.IO v5 client session over Engine.IO v4's WebSocket transport, reduced to what an echo needs.
 *
 * <ol>
 *   <li>After the WebSocket handshake the server sends the Engine.IO open packet {@code 0{"sid":…,
 *       "pingInterval":…,"pingTimeout":…}}; the client answers with a connect to the default namespace,
 *       {@code 40}, and is ready when the server confirms it, {@code 40{"sid":…}}. Both within the handshake
 *       timeout, or the connection fails saying which answer did not come.
 *   <li>Each message goes out as the event {@code 42["message","<text>"]}, the text JSON-escaped; each {@code
 *       42["response","<text>"]} that comes back is unescaped and handed on as the echo, to be verified like any
 *       echo (payload, order, none lost).
 *   <li>The server's pings ({@code 2}) are answered with a pong ({@code 3}) at once, so the server does not drop
 *       the connection after {@code pingInterval + pingTimeout} during a long run; noops ({@code 6}) are ignored.
 * </ol>
 *
 * Anything else (another event, an ack, a binary attachment, a namespace disconnect, a connect error, an Engine.IO
 * close) fails the connection with a message naming the packet. Text only: Socket.IO's binary events are not used.
 */
public final class SocketIoFraming implements MessageFraming {
    private static final byte[] EVENT_PREFIX = "42[\"message\",".getBytes(StandardCharsets.US_ASCII);
    private static final ByteBuf RESPONSE_NAME = Unpooled.unreleasableBuffer(
            Unpooled.wrappedBuffer("\"response\"".getBytes(StandardCharsets.US_ASCII)).asReadOnly());
    private static final int QUOTE_LIMIT = 200;

    private enum Stage { AWAIT_OPEN, AWAIT_CONNECT, READY }

    private final Duration handshakeTimeout;
    private Stage stage = Stage.AWAIT_OPEN;
    private ScheduledFuture<?> handshakeCheck;
    private long pingIntervalMillis = -1;
    private long pingTimeoutMillis = -1;
    private long pingsAnswered;

    SocketIoFraming(Duration handshakeTimeout) {
        this.handshakeTimeout = handshakeTimeout;
    }

    /** The server's ping interval from its open packet, in ms; -1 before it arrived. */
    public long pingIntervalMillis() {
        return pingIntervalMillis;
    }

    /** How long the server waits for a pong, from its open packet, in ms; -1 before it arrived. */
    public long pingTimeoutMillis() {
        return pingTimeoutMillis;
    }

    /** Server pings answered so far. */
    public long pingsAnswered() {
        return pingsAnswered;
    }

    @Override
    public void opened(Channel channel, Sink sink) {
        handshakeCheck = channel.eventLoop().schedule(() -> {
            if (stage != Stage.READY && channel.isActive()) {
                sink.failed(Problem.HANDSHAKE, stage == Stage.AWAIT_OPEN
                        ? "no Engine.IO open packet within " + handshakeTimeout.toMillis() + " ms of the WebSocket handshake:"
                                + " is it a Socket.IO server, and does the URI ask for ?EIO=4&transport=websocket?"
                        : "no answer to the Socket.IO connect to the default namespace (40) within " + handshakeTimeout.toMillis()
                                + " ms of the open packet");
            }
        }, handshakeTimeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public WebSocketFrame encode(ByteBufAllocator alloc, ByteBuf message, boolean text) {
        try {
            ByteBuf out = alloc.buffer(EVENT_PREFIX.length + message.readableBytes() + 8);
            out.writeBytes(EVENT_PREFIX);
            JsonText.writeString(message, out);
            out.writeByte(']');
            return new TextWebSocketFrame(out);
        } finally {
            message.release();
        }
    }

    @Override
    public void decode(Channel channel, WebSocketFrame frame, Sink sink) {
        if (!(frame instanceof TextWebSocketFrame)) {
            sink.failed(Problem.UNEXPECTED, "binary WebSocket message (" + frame.content().readableBytes() + " bytes) in a"
                    + " Socket.IO session: this client sends and expects text events only");
            return;
        }
        ByteBuf packet = frame.content();
        if (!packet.isReadable()) {
            sink.failed(Problem.CORRUPTED, "empty Engine.IO packet");
            return;
        }
        int at = packet.readerIndex();
        switch (packet.getByte(at)) {
            case '0' -> open(channel, packet, sink);
            case '2' -> {
                if (packet.readableBytes() != 1) {
                    sink.failed(Problem.UNEXPECTED, "Engine.IO ping with data '" + quote(packet) + "' (probes belong to a"
                            + " transport upgrade, which this WebSocket-only client never asks for)");
                    return;
                }
                channel.writeAndFlush(new TextWebSocketFrame("3"), channel.voidPromise());
                pingsAnswered++;
            }
            case '6' -> {
                // noop: Engine.IO sends it during transport upgrades; nothing to do.
            }
            case '1' -> sink.failed(Problem.CLOSED, "the server closed the Engine.IO session (packet '1')");
            case '4' -> socketIo(packet, at + 1, sink);
            default -> sink.failed(Problem.UNEXPECTED, "unknown Engine.IO packet '" + quote(packet) + "'");
        }
    }

    private void open(Channel channel, ByteBuf packet, Sink sink) {
        if (stage != Stage.AWAIT_OPEN) {
            sink.failed(Problem.UNEXPECTED, "a second Engine.IO open packet: '" + quote(packet) + "'");
            return;
        }
        String json = packet.toString(packet.readerIndex() + 1, packet.readableBytes() - 1, StandardCharsets.UTF_8);
        try {
            JsonObject open = JsonParser.parseString(json).getAsJsonObject();
            JsonElement sid = open.get("sid");
            JsonElement interval = open.get("pingInterval");
            JsonElement timeout = open.get("pingTimeout");
            if (sid == null || interval == null || timeout == null) {
                sink.failed(Problem.HANDSHAKE, "Engine.IO open packet without sid, pingInterval or pingTimeout: '" + quote(packet) + "'");
                return;
            }
            pingIntervalMillis = interval.getAsLong();
            pingTimeoutMillis = timeout.getAsLong();
        } catch (JsonParseException | IllegalStateException | UnsupportedOperationException | NumberFormatException e) {
            sink.failed(Problem.HANDSHAKE, "malformed Engine.IO open packet '" + quote(packet) + "': " + e.getMessage());
            return;
        }
        stage = Stage.AWAIT_CONNECT;
        channel.writeAndFlush(new TextWebSocketFrame("40"), channel.voidPromise());
    }

    /** An Engine.IO message packet: a Socket.IO packet from {@code at} on. */
    private void socketIo(ByteBuf packet, int at, Sink sink) {
        if (at >= packet.writerIndex()) {
            sink.failed(Problem.CORRUPTED, "Engine.IO message without a Socket.IO packet: '4'");
            return;
        }
        switch (packet.getByte(at)) {
            case '0' -> {
                if (stage != Stage.AWAIT_CONNECT) {
                    sink.failed(Problem.UNEXPECTED, "Socket.IO connect confirmation when none was asked for: '" + quote(packet) + "'");
                    return;
                }
                stage = Stage.READY;
                handshakeCheck.cancel(false);
                sink.ready();
            }
            case '2' -> event(packet, at + 1, sink);
            case '1' -> sink.failed(Problem.CLOSED, "the server disconnected this client from the namespace: '" + quote(packet) + "'");
            case '4' -> sink.failed(Problem.HANDSHAKE, "the server refused the connect to the default namespace: '" + quote(packet) + "'");
            default -> sink.failed(Problem.UNEXPECTED, "Socket.IO packet of a type this client does not use (only events"
                    + " are expected): '" + quote(packet) + "'");
        }
    }

    /** {@code ["response","<text>"]} from {@code at} on: hands the unescaped text to the sink. */
    private void event(ByteBuf packet, int at, Sink sink) {
        if (stage != Stage.READY) {
            sink.failed(Problem.UNEXPECTED, "Socket.IO event before the namespace connect was confirmed: '" + quote(packet) + "'");
            return;
        }
        int end = packet.writerIndex();
        if (at >= end || packet.getByte(at) != '[') {
            sink.failed(Problem.UNEXPECTED, "Socket.IO event with a namespace or an ack id, which this client never asks for: '"
                    + quote(packet) + "'");
            return;
        }
        int i = JsonText.skipWhitespace(packet, at + 1);
        int nameLength = RESPONSE_NAME.readableBytes();
        if (i + nameLength > end || !ByteBufUtil.equals(packet, i, RESPONSE_NAME, 0, nameLength)) {
            sink.failed(Problem.UNEXPECTED, "Socket.IO event other than 'response': '" + quote(packet) + "'");
            return;
        }
        ByteBuf text = packet.alloc().buffer(end - i);
        try {
            i = JsonText.skipWhitespace(packet, i + nameLength);
            if (i >= end || packet.getByte(i) != ',') {
                sink.failed(Problem.CORRUPTED, "'response' event without data: '" + quote(packet) + "'");
                return;
            }
            i = JsonText.skipWhitespace(packet, i + 1);
            if (i >= end || packet.getByte(i) != '"') {
                sink.failed(Problem.CORRUPTED, "'response' event whose data is not a string: '" + quote(packet) + "'");
                return;
            }
            i = JsonText.skipWhitespace(packet, JsonText.readString(packet, i, text));
            if (i >= end || packet.getByte(i) != ']' || JsonText.skipWhitespace(packet, i + 1) != end) {
                sink.failed(Problem.CORRUPTED, "'response' event with more than one argument, or trailing bytes: '"
                        + quote(packet) + "'");
                return;
            }
            sink.echo(text, true);
        } catch (JsonText.MalformedJsonException e) {
            sink.failed(Problem.CORRUPTED, "malformed 'response' event (" + e.getMessage() + "): '" + quote(packet) + "'");
        } finally {
            text.release();
        }
    }

    /** The packet as text for a message, cut to a readable length. */
    private static String quote(ByteBuf packet) {
        int length = Math.min(packet.readableBytes(), QUOTE_LIMIT);
        String text = packet.toString(packet.readerIndex(), length, StandardCharsets.UTF_8);
        return length < packet.readableBytes() ? text + "…(" + packet.readableBytes() + " bytes)" : text;
    }
}
