package io.wsbench.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.wsbench.server.ServerConfig;
import io.wsbench.servers.NettyEchoServer;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The broadcast client against Netty's room: every delivery counted and verified, open and closed loop; and against
 * rooms that corrupt or lose a delivery, which must fail loudly; a slow reader counted, not failed. Behaviour only.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BroadcastRoomTest {
    private static final int MEMBERS = 8;
    private static final Duration RUN = Duration.ofMillis(300);

    @Test
    void everyPublishReachesEveryMemberVerifiedInBothLoops() {
        try (NettyEchoServer server = new NettyEchoServer(ServerConfig.defaults());
             EchoClient client = new EchoClient(ClientConfig.defaults())) {
            URI room = server.start().resolve(ServerConfig.BROADCAST_PATH);
            BroadcastRoom broadcast = BroadcastRoom.open(client, room, MessageType.TEXT, 64, MEMBERS, 2, false, 4);
            try {
                assertThat(broadcast.opening().handshakeMicros().getTotalCount()).isEqualTo(MEMBERS);
                for (boolean closedLoop : new boolean[] {true, false}) {
                    long publishedBefore = broadcast.published();
                    long deliveredBefore = broadcast.delivered();
                    if (closedLoop) {
                        broadcast.startClosedLoop(2);
                    } else {
                        broadcast.startOpenLoop(2000);
                    }
                    LockSupport.parkNanos(RUN.toNanos());
                    broadcast.stop();
                    long published = broadcast.published() - publishedBefore;
                    assertThat(published).as("published (closed loop: %s)", closedLoop).isPositive();
                    assertThat(broadcast.delivered() - deliveredBefore).isEqualTo(published * MEMBERS);
                }
                assertThat(broadcast.latency().intervalHistogram(0, 1).getTotalCount()).isPositive();
            } finally {
                broadcast.close(Duration.ofSeconds(5));
            }
        }
    }

    @Test
    void aCorruptedDeliveryFailsTheRoomNamingIt() {
        assertThatThrownBy(() -> runAgainst(Fault.CORRUPT_TENTH)).isInstanceOf(EchoFailedException.class)
                .hasMessageContaining("corrupted");
    }

    @Test
    void aLostDeliveryFailsTheRoomNamingIt() {
        assertThatThrownBy(() -> runAgainst(Fault.DROP_TENTH_FOR_ONE)).isInstanceOf(EchoFailedException.class)
                .hasMessageContaining("lost deliveries");
    }

    @Test
    void aSlowReaderFallsBehindWithoutFailingTheOthers() {
        try (NettyEchoServer server = new NettyEchoServer(ServerConfig.defaults());
             EchoClient client = new EchoClient(ClientConfig.defaults())) {
            URI room = server.start().resolve(ServerConfig.BROADCAST_PATH);
            BroadcastRoom broadcast = BroadcastRoom.open(client, room, MessageType.TEXT, 1024, 4, 1, true, 4);
            try {
                broadcast.startOpenLoop(2000); // 2 MB/s to a reader that takes 10 KiB/s
                LockSupport.parkNanos(Duration.ofSeconds(1).toNanos());
                broadcast.stop();
                BroadcastRoom.SlowMemberReport slow = broadcast.slowMember();
                assertThat(slow.backlog()).as("the slow reader is behind").isPositive();
                assertThat(broadcast.failure()).isNull();
            } finally {
                broadcast.close(Duration.ofSeconds(5));
            }
        }
    }

    private enum Fault { CORRUPT_TENTH, DROP_TENTH_FOR_ONE }

    /** A room on the echo path of a Netty server whose relay has {@code fault}; runs a closed loop until it fails. */
    private static void runAgainst(Fault fault) {
        ChannelGroup members = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
        AtomicLong relayed = new AtomicLong();
        try (NettyEchoServer server = NettyEchoServer.withEchoHandler(ServerConfig.defaults(), () -> new FaultyRoom(members, relayed, fault));
             EchoClient client = new EchoClient(ClientConfig.defaults())) {
            URI room = server.start();
            BroadcastRoom broadcast = BroadcastRoom.open(client, room, MessageType.TEXT, 64, 3, 1, false, 4);
            try {
                broadcast.startClosedLoop(1);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (broadcast.failure() == null && System.nanoTime() < deadline) {
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
                }
                broadcast.throwIfFailed();
            } finally {
                broadcast.close(Duration.ofSeconds(5));
            }
        }
    }

    /** Relays like a room, but every tenth message (after the first 300, when the room is complete) goes wrong. */
    private static final class FaultyRoom extends ChannelInboundHandlerAdapter {
        private final ChannelGroup members;
        private final AtomicLong relayed;
        private final Fault fault;

        FaultyRoom(ChannelGroup members, AtomicLong relayed, Fault fault) {
            this.members = members;
            this.relayed = relayed;
            this.fault = fault;
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            if (event instanceof WebSocketServerProtocolHandler.HandshakeComplete) {
                members.add(ctx.channel());
            }
            ctx.fireUserEventTriggered(event);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (!(msg instanceof TextWebSocketFrame frame)) {
                ReferenceCountUtil.release(msg);
                return;
            }
            long n = relayed.incrementAndGet();
            boolean faulty = n > 300 && n % 10 == 0;
            if (faulty && fault == Fault.CORRUPT_TENTH) {
                frame.content().setByte(frame.content().readableBytes() - 1, 'X' ^ frame.content().getByte(frame.content().readableBytes() - 1));
            }
            members.forEach(member -> {
                if (!(faulty && fault == Fault.DROP_TENTH_FOR_ONE && member == members.iterator().next())) {
                    member.writeAndFlush(frame.retainedDuplicate());
                }
            });
            frame.release();
        }
    }
}
