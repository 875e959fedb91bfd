package io.wsbench.testing;

import com.google.gson.JsonArray;
import com.google.gson.JsonParser;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.util.ReferenceCountUtil;
import io.wsbench.server.EchoServer;
import io.wsbench.server.NettyBinding;
import io.wsbench.server.ServerConfig;
import io.wsbench.server.ServerSettings;
import io.wsbench.wire.EchoProtocol;
import java.net.URI;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small Socket.IO server for tests, on Netty: Engine.IO v4 open packet, namespace connect, and the event {@code
 * message} answered with the event {@code response} carrying {@code "Echo: "} + the data, JSON-encoded the way
 * python-socketio does it (every non-ASCII character as a {@code \}{@code uXXXX} escape), with Gson decoding what
 * comes in: a JSON implementation independent of the client's. A {@link Fault} spoils message {@code n} (counted
 * from 0 per connection) or the whole session, so tests can show the client catches it.
 */
public final class SocketIoEcho implements EchoServer {
    public static final String PREFIX = "Echo: ";

    /**
     * CORRUPT changes one character of the text of response {@code n}; OTHER_EVENT answers message {@code n} with
     * the event {@code other}; REFUSE answers the namespace connect with a connect error; SILENT never sends the
     * open packet; PING sends an Engine.IO ping before every response whose number is a multiple of {@code n}.
     */
    public enum Fault { NONE, CORRUPT, OTHER_EVENT, REFUSE, SILENT, PING }

    private final Fault fault;
    private final int n;
    private final AtomicInteger pongs = new AtomicInteger();
    private final AtomicInteger pings = new AtomicInteger();
    private NettyBinding binding;

    public SocketIoEcho(Fault fault, int n) {
        this.fault = fault;
        this.n = n;
    }

    @Override
    public String name() {
        return "socketio-test";
    }

    @Override
    public String echoPrefix() {
        return PREFIX;
    }

    @Override
    public EchoProtocol protocol() {
        return EchoProtocol.SOCKETIO;
    }

    @Override
    public boolean echoesBinary() {
        return false;
    }

    /** Pongs received from clients so far. */
    public int pongs() {
        return pongs.get();
    }

    /** Pings sent to clients so far. */
    public int pings() {
        return pings.get();
    }

    @Override
    public synchronized URI start() {
        ServerConfig config = ServerConfig.defaults();
        binding = NettyBinding.bind(name(), config, new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(64 * 1024),
                        new WebSocketServerProtocolHandler(WebSocketServerProtocolConfig.newBuilder()
                                .websocketPath("/socket.io/").checkStartsWith(true).build()),
                        new Session());
            }
        });
        return URI.create("ws://" + config.host() + ":" + binding.port() + "/socket.io/?EIO=4&transport=websocket");
    }

    @Override
    public synchronized ServerSettings settings() {
        if (binding == null) {
            throw new IllegalStateException(name() + " is not running");
        }
        return binding.settings(name()).build();
    }

    @Override
    public synchronized void close() {
        if (binding != null) {
            binding.close();
            binding = null;
        }
    }

    /** JSON string literal with every non-ASCII UTF-16 unit escaped, as Python's json.dumps does by default. */
    static String pythonJsonString(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                default -> {
                    if (c < 0x20 || c > 0x7E) {
                        String hex = Integer.toHexString(c);
                        out.append("\\u").append("0000", hex.length(), 4).append(hex);
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    private final class Session extends ChannelInboundHandlerAdapter {
        private int messages;

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            if (event instanceof WebSocketServerProtocolHandler.HandshakeComplete && fault != Fault.SILENT) {
                ctx.writeAndFlush(new TextWebSocketFrame(
                        "0{\"sid\":\"test-sid\",\"upgrades\":[],\"pingTimeout\":20000,\"pingInterval\":25000}"));
            }
            ctx.fireUserEventTriggered(event);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (!(msg instanceof TextWebSocketFrame frame)) {
                ctx.fireChannelRead(msg);
                return;
            }
            try {
                String packet = frame.text();
                if (packet.equals("40")) {
                    ctx.writeAndFlush(new TextWebSocketFrame(fault == Fault.REFUSE
                            ? "44{\"message\":\"not allowed\"}" : "40{\"sid\":\"test-namespace-sid\"}"));
                } else if (packet.equals("3")) {
                    pongs.incrementAndGet();
                } else if (packet.startsWith("42")) {
                    JsonArray event = JsonParser.parseString(packet.substring(2)).getAsJsonArray();
                    String data = event.get(1).getAsString();
                    int index = messages++;
                    if (fault == Fault.PING && index % n == 0) {
                        pings.incrementAndGet();
                        ctx.writeAndFlush(new TextWebSocketFrame("2"));
                    }
                    String reply = PREFIX + data;
                    String name = "response";
                    if (index == n && fault == Fault.CORRUPT) {
                        int last = reply.length() - 1;
                        reply = reply.substring(0, last) + (char) (reply.charAt(last) ^ 1);
                    } else if (index == n && fault == Fault.OTHER_EVENT) {
                        name = "other";
                    }
                    ctx.writeAndFlush(new TextWebSocketFrame("42[\"" + name + "\"," + pythonJsonString(reply) + "]"));
                } else {
                    throw new IllegalStateException("test Socket.IO server got an unexpected packet: " + packet);
                }
            } finally {
                ReferenceCountUtil.release(frame);
            }
        }
    }
}
