package io.wsbench.server;

import io.wsbench.wire.Transport;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * Binds a Netty server (one acceptor thread plus {@code serverThreads} event loops) and tears it down
 * again, for the two Netty-based servers: the WebSocket one and the raw-TCP floor.
 */
public final class NettyBinding {
    private static final long STOP_TIMEOUT_SECONDS = 10;

    private final String serverName;
    private final EventLoopGroup acceptor;
    private final EventLoopGroup workers;
    private final Channel listener;

    private NettyBinding(String serverName, EventLoopGroup acceptor, EventLoopGroup workers, Channel listener) {
        this.serverName = serverName;
        this.acceptor = acceptor;
        this.workers = workers;
        this.listener = listener;
    }

    public static NettyBinding bind(String serverName, ServerConfig config, ChannelInitializer<SocketChannel> pipeline) {
        Transport transport = config.transport().resolve();
        EventLoopGroup acceptor = transport.newGroup(1, serverName + "-accept");
        EventLoopGroup workers = transport.newGroup(config.serverThreads(), serverName + "-io");
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(acceptor, workers)
                .channel(transport.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(pipeline);
        ChannelFuture bound = bootstrap.bind(config.host(), config.port());
        boolean done = bound.awaitUninterruptibly(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        if (!done || !bound.isSuccess()) {
            shutdown(acceptor, workers);
            Throwable cause = done ? bound.cause() : null;
            throw new ServerStartException(bindFailure(serverName, config, cause), cause);
        }
        return new NettyBinding(serverName, acceptor, workers, bound.channel());
    }

    public static String bindFailure(String serverName, ServerConfig config, Throwable cause) {
        String where = config.host() + ":" + config.port();
        if (cause == null) {
            return serverName + " did not bind " + where + " within " + STOP_TIMEOUT_SECONDS + " s";
        }
        String text = String.valueOf(cause.getMessage());
        if (cause instanceof BindException || text.contains("Address already in use")) {
            return serverName + " could not bind " + where + ": port " + config.port()
                    + " is already in use; stop whatever listens there, pick another port, or use port 0 for an ephemeral one";
        }
        return serverName + " could not bind " + where + ": " + cause;
    }

    /** The live event loops and transport, for {@link EchoServer#settings()}. */
    public ServerSettings.Builder settings(String server) {
        return ServerSettings.of(server)
                .put(ServerSettings.IO_THREADS, ((io.netty.util.concurrent.MultithreadEventExecutorGroup) workers).executorCount())
                .putConfigured(ServerSettings.WORKER_THREADS, 0) // the handlers run on the event loops, by design
                .put(ServerSettings.ACCEPTOR_THREADS, ((io.netty.util.concurrent.MultithreadEventExecutorGroup) acceptor).executorCount())
                .put(ServerSettings.TRANSPORT, listener.getClass().getSimpleName());
    }

    /**
     * Whether {@code thread} is one of the event loops {@link #bind} made for {@code serverName}: they run in no
     * server's thread group (Netty starts each in the group of whatever first submits to it), so they are known
     * by the name they carry, {@code <server>-io-1} and {@code <server>-accept-1}.
     */
    public static boolean isEventLoopOf(String serverName, Thread thread) {
        return thread.getName().startsWith(serverName + "-");
    }

    public int port() {
        return ((InetSocketAddress) listener.localAddress()).getPort();
    }

    /** Closes the listener and every connection, then waits for the event loop threads to end. */
    public void close() {
        listener.close().awaitUninterruptibly(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        shutdown(acceptor, workers);
    }

    private static void shutdown(EventLoopGroup acceptor, EventLoopGroup workers) {
        acceptor.shutdownGracefully(0, STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        workers.shutdownGracefully(0, STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        boolean stopped = acceptor.terminationFuture().awaitUninterruptibly(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS)
                & workers.terminationFuture().awaitUninterruptibly(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        if (!stopped) {
            throw new IllegalStateException("event loops did not stop within " + STOP_TIMEOUT_SECONDS + " s");
        }
    }

    public String serverName() {
        return serverName;
    }
}
