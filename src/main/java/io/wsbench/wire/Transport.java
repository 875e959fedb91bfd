package io.wsbench.wire;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;

/**
 * Netty's socket transport, shared by the Netty and raw-TCP servers and by the load client.
 * {@code AUTO} takes epoll where its native library loads (Linux x86_64) and NIO elsewhere.
 */
public enum Transport {
    AUTO, EPOLL, NIO;

    /** Parses {@code auto}, {@code epoll} or {@code nio}, naming the valid values when it is none of them. */
    public static Transport parse(String value) {
        for (Transport t : values()) {
            if (t.name().equalsIgnoreCase(value)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown transport '" + value + "': use auto, epoll or nio");
    }

    /** The transport actually used: AUTO resolved, EPOLL checked to be available. */
    public Transport resolve() {
        return switch (this) {
            case AUTO -> Epoll.isAvailable() ? EPOLL : NIO;
            case EPOLL -> {
                if (!Epoll.isAvailable()) {
                    throw new IllegalStateException("epoll transport requested but unavailable ("
                            + Epoll.unavailabilityCause() + "); use transport 'nio' or 'auto'");
                }
                yield EPOLL;
            }
            case NIO -> NIO;
        };
    }

    /** An event loop group of {@code threads} threads named {@code prefix-N}, daemon so a failure never pins the JVM. */
    public EventLoopGroup newGroup(int threads, String prefix) {
        IoHandlerFactory factory = resolve() == EPOLL ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        return new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory(prefix, true), factory);
    }

    public Class<? extends ServerChannel> serverChannel() {
        return resolve() == EPOLL ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }

    public Class<? extends SocketChannel> clientChannel() {
        return resolve() == EPOLL ? EpollSocketChannel.class : NioSocketChannel.class;
    }
}
