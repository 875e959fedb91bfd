package io.wsbench.client;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtensionEncoder;
import io.netty.handler.codec.http.websocketx.extensions.compression.WebSocketClientCompressionHandler;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.wsbench.client.EchoFailedException.Kind;
import io.wsbench.wire.MessageLimits;
import java.net.ConnectException;
import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import javax.net.ssl.SSLException;

/**
 * The one load client that drives every server, so differences in the numbers are the server's.
 *
 * <p>Non-blocking (Netty, same transport as the servers), any number of connections over {@code
 * ioThreads} event loops. WebSocket connections mask every frame as RFC 6455 requires of clients
 * (Netty's client encoder) and offer permessage-deflate only with {@link ClientConfig#compression()} (and then
 * fail a connection whose server does not accept it); {@code tcp://} targets speak the
 * raw-TCP floor's length-prefixed messages through the same event loops, so the floor pays the same
 * client costs. The client does not validate the UTF-8 of echoes: each echo is compared byte for
 * byte with valid UTF-8 that was sent, which is the stronger check.
 *
 * <p>{@code wss://} targets get TLS through Netty's {@link SslHandler} with the JDK provider, sending
 * the target's host name for SNI. By default the JDK trust store decides and the certificate must
 * match that host name; {@link ClientConfig#trustAllCertificates()} accepts any certificate (a
 * self-signed test server), so it skips the host name check too.
 */
public final class EchoClient implements AutoCloseable {
    private static final int HANDSHAKE_RESPONSE_LIMIT = 64 * 1024;

    private final ClientConfig config;
    private final EventLoopGroup group;
    private final AtomicLong connections = new AtomicLong();
    private final WireBytes wireBytes = new WireBytes();
    private SslContext tls;

    public EchoClient(ClientConfig config) {
        this.config = config;
        this.group = config.transport().newGroup(config.ioThreads(), "wsbench-client");
    }

    public ClientConfig config() {
        return config;
    }

    /** Bytes on the wire (TLS records and WebSocket frames as sent and read) of every connection of this client. */
    public WireBytes wireBytes() {
        return wireBytes;
    }

    /** Connects and completes the handshake, waiting at most the connect timeout. */
    public EchoConnection connect(URI target, MessageType type, int payloadBytes) {
        CompletableFuture<EchoConnection> pending = connectAsync(target, type, payloadBytes);
        long waitMillis = config.connectTimeout().toMillis() + 1000;
        try {
            return pending.get(waitMillis, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof EchoFailedException failed) {
                throw new EchoFailedException(failed.kind(), failed.getMessage(), failed);
            }
            throw new EchoFailedException(Kind.CONNECT, "could not connect to " + target + ": " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            pending.cancel(true);
            throw new EchoFailedException(Kind.CONNECT, "could not connect to " + target + " within " + waitMillis
                    + " ms: the host does not answer; check the address and that the server is up", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EchoFailedException(Kind.CONNECT, "interrupted while connecting to " + target, e);
        }
    }

    /**
     * Starts connecting; the future completes with the connection once it can send (after the
     * WebSocket handshake), or exceptionally with an {@link EchoFailedException} saying why not.
     */
    public CompletableFuture<EchoConnection> connectAsync(URI target, MessageType type, int payloadBytes) {
        requireTarget(target);
        config.requireMessageFits(payloadBytes);
        config.requireProtocolFits(target, type);
        EchoPayload payload = EchoPayload.create(type, payloadBytes, connections.incrementAndGet(), config.echoPrefixBytes(),
                config.payloadContent());
        return connectAsync(target, ch -> {
            EchoConnection connection = new EchoConnection(ch, target, payload, config);
            return new Endpoint<>(connection.handler(), connection.ready());
        });
    }

    /**
     * What sits at the end of a connection's pipeline: its last handler, after the WebSocket codec, and the future it
     * completes once the connection can send (or fails with an {@link EchoFailedException}).
     */
    public record Endpoint<T>(ChannelHandler handler, CompletableFuture<T> ready) {
    }

    /**
     * Starts connecting a connection of any kind (an echo, a broadcast member, an idle one) through this client's
     * event loops, TLS and WebSocket codec; the future completes as {@code endpoint}'s does, and fails too when
     * compression was asked for and the server did not take it.
     */
    public <T> CompletableFuture<T> connectAsync(URI target, Function<SocketChannel, Endpoint<T>> endpoint) {
        requireTarget(target);
        SslContext tlsContext = "wss".equals(target.getScheme()) ? tlsContext() : null;
        CompletableFuture<T> result = new CompletableFuture<>();
        Bootstrap bootstrap = new Bootstrap()
                .group(group)
                .channel(config.transport().clientChannel())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) config.connectTimeout().toMillis())
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        Endpoint<T> end = endpoint.apply(ch);
                        configurePipeline(ch, target, tlsContext, end.handler());
                        end.ready().whenComplete((c, failure) -> {
                            if (failure != null) {
                                result.completeExceptionally(failure);
                            } else if (config.compression() && !deflateNegotiated(ch)) {
                                result.completeExceptionally(new EchoFailedException(Kind.HANDSHAKE, "compression=deflate:"
                                        + " the server at " + target + " did not accept permessage-deflate (no such"
                                        + " Sec-WebSocket-Extensions in its handshake answer): its library has it not, or it"
                                        + " is off there; measure it with -p compression=none"));
                            } else {
                                result.complete(c);
                            }
                        });
                    }
                });
        ChannelFuture connecting = bootstrap.connect(target.getHost(), target.getPort());
        connecting.addListener(f -> {
            if (!f.isSuccess()) {
                result.completeExceptionally(connectFailure(target, f.cause()));
            }
        });
        result.whenComplete((c, failure) -> {
            if (failure != null) {
                Channel ch = connecting.channel();
                ch.close();
            }
        });
        return result;
    }

    private static void requireTarget(URI target) {
        String scheme = String.valueOf(target.getScheme());
        if (!scheme.equals("ws") && !scheme.equals("wss") && !scheme.equals("tcp")) {
            throw new IllegalArgumentException("unsupported target '" + target
                    + "': use ws://HOST:PORT/PATH, wss://HOST:PORT/PATH or tcp://HOST:PORT");
        }
        if (target.getHost() == null || target.getPort() < 0) {
            throw new IllegalArgumentException("target '" + target + "' needs a host and a port, e.g. ws://127.0.0.1:8080/echo");
        }
    }

    /** The TLS client settings, built on first use so plain targets never load the JDK's TLS stack. */
    private synchronized SslContext tlsContext() {
        if (tls == null) {
            SslContextBuilder builder = SslContextBuilder.forClient();
            if (config.trustAllCertificates()) {
                // Any certificate is accepted, so checking the name it was issued for would prove nothing.
                builder.trustManager(InsecureTrustManagerFactory.INSTANCE).endpointIdentificationAlgorithm(null);
            } else {
                builder.endpointIdentificationAlgorithm("HTTPS");
            }
            try {
                tls = builder.build();
            } catch (SSLException e) {
                throw new IllegalStateException("could not set up TLS for wss:// targets: " + e.getMessage(), e);
            }
        }
        return tls;
    }

    /** Whether the handshake left a permessage-deflate encoder in the pipeline: the server accepted the offer. */
    private static boolean deflateNegotiated(Channel ch) {
        return ch.pipeline().toMap().values().stream().anyMatch(handler -> handler instanceof WebSocketExtensionEncoder);
    }

    private void configurePipeline(SocketChannel ch, URI target, SslContext tlsContext, ChannelHandler last) {
        ChannelPipeline p = ch.pipeline();
        p.addLast(wireBytes);
        if (tlsContext != null) {
            SslHandler tlsHandler = tlsContext.newHandler(ch.alloc(), target.getHost(), target.getPort());
            tlsHandler.setHandshakeTimeoutMillis(config.connectTimeout().toMillis());
            p.addLast(tlsHandler);
        }
        if ("tcp".equals(target.getScheme())) {
            int prefix = MessageLimits.RAW_TCP_LENGTH_PREFIX_BYTES;
            p.addLast(new LengthFieldBasedFrameDecoder(config.maxMessageBytes() + prefix, 0, prefix, 0, prefix));
        } else {
            p.addLast(new HttpClientCodec());
            p.addLast(new HttpObjectAggregator(HANDSHAKE_RESPONSE_LIMIT));
            if (config.compression()) {
                p.addLast(WebSocketClientCompressionHandler.INSTANCE);
            }
            p.addLast(new WebSocketClientProtocolHandler(WebSocketClientProtocolConfig.newBuilder()
                    .webSocketUri(target)
                    .version(WebSocketVersion.V13)
                    .allowExtensions(config.compression())
                    .customHeaders(new DefaultHttpHeaders())
                    .maxFramePayloadLength(config.maxMessageBytes())
                    .performMasking(true)
                    .handleCloseFrames(false)
                    .handshakeTimeoutMillis(config.connectTimeout().toMillis())
                    .withUTF8Validator(false)
                    .build()));
            p.addLast(new WebSocketFrameAggregator(config.maxMessageBytes()));
        }
        p.addLast(last);
    }

    private static EchoFailedException connectFailure(URI target, Throwable cause) {
        String where = target.getHost() + ":" + target.getPort();
        if (cause instanceof ConnectException) {
            return new EchoFailedException(Kind.CONNECT, "could not connect to " + where + ": " + cause.getMessage()
                    + "; is the server running and listening there?", cause);
        }
        return new EchoFailedException(Kind.CONNECT, "could not connect to " + where + ": " + cause, cause);
    }

    /** Closes every connection and stops the event loops, waiting a bounded time for them. */
    @Override
    public void close() {
        group.shutdownGracefully(0, 5, TimeUnit.SECONDS);
        if (!group.terminationFuture().awaitUninterruptibly(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("client event loops did not stop within 10 s");
        }
    }
}
