package io.wsbench.client;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler.ClientHandshakeStateEvent;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.wsbench.client.EchoFailedException.Kind;
import io.wsbench.record.LatencyRecorder;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * The client side of a broadcast room ({@code ServerConfig.BROADCAST_PATH}): {@code members} connections in one room,
 * the first {@code publishers} of them publishing; the server relays each message to every member, the publisher
 * included, so each publish is {@code members} deliveries. Every delivery is verified on the member that gets it: the
 * publisher's bytes, exactly (a corrupted delivery fails the room), and for each publisher the next sequence number
 * (a gap is a lost delivery, a smaller one a duplicate or reordering: both fail the room).
 *
 * <p><b>Message.</b> 4 hex digits of publisher, 16 of the time the message was <i>due</i> ({@link System#nanoTime()},
 * this JVM's clock, which every member shares), then an {@link EchoPayload} message of that publisher (its own
 * sequence field first). Latency is receipt minus due time: in an open loop a server that falls behind pays for the
 * whole backlog, coordinated omission corrected.
 *
 * <p><b>Load.</b> Open loop: publishers send at a fixed total rate, paced on their event loops. Closed loop ("as fast
 * as deliveries allow"): each publisher keeps {@code inFlight} messages not yet delivered to every member and sends the
 * next the moment the last member has one.
 *
 * <p><b>Slow member.</b> Optionally the last member reads slowly and on purpose: {@value #SLOW_READ_BYTES} bytes every
 * {@value #SLOW_READ_MILLIS} ms, through a small receive buffer, so the server must buffer, drop, or disconnect. What it
 * does is counted, not failed: lost deliveries, whether it was disconnected, and its backlog; its latency is kept apart
 * from everyone else's, and it does not hold back the closed loop. Everyone else is verified as strictly as ever.
 */
public final class BroadcastRoom implements AutoCloseable {
    /** Header bytes before each publisher's payload: publisher and due time, in hex. */
    public static final int HEADER_BYTES = 20;
    static final int SLOW_READ_BYTES = 1024;
    static final int SLOW_READ_MILLIS = 100;
    private static final int PUBLISHER_DIGITS = 4;
    private static final int MAX_PUBLISHERS = 1 << 16;
    private static final int MAX_SENDS_PER_WAKE = 1024;
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private final URI room;
    private final List<Member> members;
    private final EchoPayload[] payloads;
    private final int publishers;
    private final Member slow;
    private final int countedMembers;
    private final Duration echoTimeout;
    private final LatencyRecorder latency = new LatencyRecorder();
    private final LatencyRecorder slowLatency = new LatencyRecorder();
    private final LatencyRecorder publishLag = new LatencyRecorder();
    private final Map<EventLoop, LatencyRecorder.Writer> latencyWriters = new IdentityHashMap<>();
    private final AtomicReference<EchoFailedException> failure = new AtomicReference<>();
    private final ConnectionOpener.Opened<Member> opening;
    private volatile boolean running;
    private volatile boolean joining;
    private static final int JOIN_RATE_PER_PUBLISHER = 100;

    private BroadcastRoom(URI room, EchoPayload[] payloads, int publishers, boolean withSlowMember, ConnectionOpener.Opened<Member> opened,
            Duration echoTimeout) {
        this.room = room;
        this.payloads = payloads;
        this.publishers = publishers;
        this.opening = opened;
        this.members = opened.connections();
        this.slow = withSlowMember ? members.get(members.size() - 1) : null;
        this.countedMembers = members.size() - (withSlowMember ? 1 : 0);
        this.echoTimeout = echoTimeout;
        for (Member member : members) {
            member.joined(this);
        }
    }

    /**
     * Opens {@code count} members of the room at {@code room} (at most {@code maxPendingHandshakes} handshakes at a
     * time), the first {@code publishers} of them publishers, the last a slow reader if {@code slowMember}; then waits,
     * bounded, until the server counts every one of them in (each publisher's first message reaches every member).
     *
     * @throws IllegalArgumentException for counts or a payload that cannot work, naming the fix
     * @throws EchoFailedException when a member cannot connect or the room does not relay
     */
    public static BroadcastRoom open(EchoClient client, URI room, MessageType type, int payloadBytes, int count,
            int publishers, boolean slowMember, int maxPendingHandshakes) {
        int minimum = HEADER_BYTES + (type == MessageType.TEXT ? 16 : 8);
        if (payloadBytes < minimum) {
            throw new IllegalArgumentException("payloadBytes=" + payloadBytes + " is too small for a broadcast message, which"
                    + " carries its publisher, due time and sequence number: use payloadBytes >= " + minimum);
        }
        if (publishers < 1 || publishers > Math.min(count, MAX_PUBLISHERS)) {
            throw new IllegalArgumentException("publishers must be 1.." + Math.min(count, MAX_PUBLISHERS)
                    + " (they are members of the room), was " + publishers + "; -p publishers=1");
        }
        if (slowMember && count <= publishers) {
            throw new IllegalArgumentException("slowSubscriber=true needs a member that does not publish: subscribers="
                    + count + " must be above publishers=" + publishers);
        }
        client.config().requireMessageFits(payloadBytes);
        EchoPayload[] payloads = new EchoPayload[publishers];
        for (int p = 0; p < publishers; p++) {
            payloads[p] = EchoPayload.create(type, payloadBytes - HEADER_BYTES, p + 1, new byte[0], client.config().payloadContent());
        }
        AtomicInteger index = new AtomicInteger();
        ConnectionOpener.Opened<Member> opened = ConnectionOpener.open(() -> {
            int i = index.getAndIncrement();
            boolean isSlow = slowMember && i == count - 1;
            return client.connectAsync(room, ch -> {
                Member member = new Member(ch, i, i < publishers ? payloads[i] : null, payloads.length, isSlow);
                return new EchoClient.Endpoint<>(member.handler, member.ready);
            });
        }, count, maxPendingHandshakes, Duration.ZERO, client.config().connectTimeout(), room,
                opening -> opening.forEach(m -> m.close(Duration.ofSeconds(5))));
        BroadcastRoom broadcast = new BroadcastRoom(room, payloads, publishers, slowMember, opened, client.config().echoTimeout());
        try {
            broadcast.awaitEveryoneCounted();
        } catch (RuntimeException e) {
            broadcast.close(Duration.ofSeconds(10));
            throw e;
        }
        return broadcast;
    }

    /**
     * A member's handshake can complete before the server has put it in the room, so the first messages may miss it.
     * While joining, publishers publish slowly ({@value #JOIN_RATE_PER_PUBLISHER}/s each) and a member takes the first
     * message it gets from each publisher as its start; once every member has one from every publisher, the server
     * counts them all, and from then on every delivery is due to everyone. The latency recorders are reset before each
     * iteration, so none of this is measured.
     */
    private void awaitEveryoneCounted() {
        joining = true;
        startOpenLoop((double) JOIN_RATE_PER_PUBLISHER * publishers);
        long deadline = System.nanoTime() + echoTimeout.toNanos();
        while (!members.stream().allMatch(member -> member.publishersSeen == publishers)) {
            throwIfFailed();
            if (System.nanoTime() - deadline > 0) {
                long complete = members.stream().filter(member -> member.publishersSeen == publishers).count();
                throw new EchoFailedException(Kind.TIMEOUT, "the broadcast room at " + room + " relayed a message of every"
                        + " publisher to only " + complete + " of " + members.size() + " members within "
                        + echoTimeout.toMillis() + " ms: does the server serve a room at that path?");
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
        stop();
        joining = false;
    }

    public URI room() {
        return room;
    }

    public int size() {
        return members.size();
    }

    /** How the members were opened: each handshake's time and the connect rate. */
    public ConnectionOpener.Opened<Member> opening() {
        return opening;
    }

    /** Delivery latency, from each message's due time to its receipt, of every member but the slow one. */
    public LatencyRecorder latency() {
        return latency;
    }

    /** How late each message left its publisher against its due time: the client's share of the latency. */
    public LatencyRecorder publishLag() {
        return publishLag;
    }

    /** The slow member's delivery latency (empty without one). */
    public LatencyRecorder slowLatency() {
        return slowLatency;
    }

    /** Verified deliveries so far, every member's, the slow one's included. */
    public long delivered() {
        long total = 0;
        for (Member member : members) {
            total += member.received;
        }
        return total;
    }

    /** Messages published so far. */
    public long published() {
        long total = 0;
        for (int p = 0; p < publishers; p++) {
            total += members.get(p).sent;
        }
        return total;
    }

    /** What the slow member saw: deliveries the server dropped, whether it disconnected it, and how far it is behind. */
    public record SlowMemberReport(long lost, boolean disconnected, long backlog) {
    }

    /** The slow member's report; empty counts without one. */
    public SlowMemberReport slowMember() {
        if (slow == null) {
            return new SlowMemberReport(0, false, 0);
        }
        return new SlowMemberReport(slow.lost, slow.disconnected,
                Math.max(0, published() - slow.skipped - slow.received - slow.lost));
    }

    /** The first failure of any member (the slow one's disconnection is not one), or null while all are healthy. */
    public EchoFailedException failure() {
        return failure.get();
    }

    public void throwIfFailed() {
        EchoFailedException f = failure.get();
        if (f != null) {
            throw new EchoFailedException(f.kind(), f.getMessage(), f);
        }
    }

    /** Each publisher keeps {@code inFlight} messages not yet delivered to every (not slow) member. */
    public void startClosedLoop(int inFlight) {
        begin();
        for (int p = 0; p < publishers; p++) {
            Member publisher = members.get(p);
            publisher.channel.eventLoop().execute(() -> publisher.startClosedLoop(inFlight));
        }
    }

    /** Publishes {@code ratePerSecond} messages in all, spread evenly over the publishers, until {@link #stop}. */
    public void startOpenLoop(double ratePerSecond) {
        begin();
        long intervalNanos = Math.max(1, Math.round(publishers * 1e9 / ratePerSecond));
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1);
        for (int p = 0; p < publishers; p++) {
            Member publisher = members.get(p);
            // Publishers staggered evenly within one interval, as the echo's open loop staggers connections.
            long first = start + intervalNanos * p / publishers;
            publisher.channel.eventLoop().execute(() -> publisher.startOpenLoop(first, intervalNanos));
        }
    }

    private void begin() {
        throwIfFailed();
        if (running) {
            throw new IllegalStateException("the room is already publishing: stop() it first");
        }
        running = true;
    }

    /**
     * Stops publishing and waits until every message published has reached every member but the slow one (at most the
     * echo timeout plus a second).
     *
     * @throws EchoFailedException if a member failed, or deliveries are still missing then
     */
    public void stop() {
        if (!running) {
            throw new IllegalStateException("the room is not publishing");
        }
        running = false;
        for (int p = 0; p < publishers; p++) {
            Member publisher = members.get(p);
            publisher.channel.eventLoop().execute(publisher::halt);
        }
        long deadline = System.nanoTime() + echoTimeout.toNanos() + TimeUnit.SECONDS.toNanos(1);
        while (missing() > 0) {
            throwIfFailed();
            if (System.nanoTime() - deadline > 0) {
                throw new EchoFailedException(Kind.TIMEOUT, missing() + " deliveries from the room at " + room
                        + " still missing " + (echoTimeout.toMillis() + 1000) + " ms after publishing stopped, though no"
                        + " member reported a failure");
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
        throwIfFailed();
    }

    /** Deliveries published but not yet received, over every member but the slow one. */
    private long missing() {
        // Halting happens on the publishers' loops: read sent after they stopped, received after that.
        long published = published();
        long due = 0;
        for (Member member : members) {
            if (member != slow) {
                due += published - member.skipped - member.received;
            }
        }
        return due;
    }

    /** Stops publishing and closes every member, spending at most {@code budget} on close handshakes. */
    public void close(Duration budget) {
        if (running) {
            running = false;
            for (int p = 0; p < publishers; p++) {
                Member publisher = members.get(p);
                publisher.channel.eventLoop().execute(publisher::halt);
            }
        }
        long deadline = System.nanoTime() + budget.toNanos();
        for (Member member : members) {
            member.close(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
        }
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(30));
    }

    private void fail(EchoFailedException f) {
        failure.compareAndSet(null, f);
    }

    private synchronized LatencyRecorder.Writer writerFor(EventLoop loop, boolean slowMember) {
        if (slowMember) {
            return slowLatency.newWriter();
        }
        return latencyWriters.computeIfAbsent(loop, l -> latency.newWriter());
    }

    /** One connection of the room: a subscriber, and a publisher when it has a payload. Event-loop state unless volatile. */
    public static final class Member {
        private final Channel channel;
        private final int index;
        private final EchoPayload own;
        private final boolean slowReader;
        private final CompletableFuture<Member> ready = new CompletableFuture<>();
        private final ChannelInboundHandlerAdapter handler = new Handler();
        /** Per publisher, the sequence expected next. */
        private final long[] nextSequence;
        private BroadcastRoom broadcast;
        private LatencyRecorder.Writer latencyWriter;
        private LatencyRecorder.Writer publishLagWriter;
        private ScheduledFuture<?> slowReads;

        // Publishing, on this member's event loop.
        private final Runnable paceTask = this::pace;
        // Read by the members' loops too, which report deliveries to the publisher.
        private volatile boolean closedLoop;
        private volatile AtomicInteger[] undelivered;
        private long[] slotSentNanos;
        private ScheduledFuture<?> lossCheck;
        private long nextDueNanos;
        private long intervalNanos;
        private ScheduledFuture<?> pacer;

        private volatile long sent;
        private volatile long received;
        private volatile long lost;
        /** Messages published before this member was in the room: the first sequence it got from each publisher, summed. */
        private volatile long skipped;
        private volatile int publishersSeen;
        private final boolean[] seen;
        private volatile boolean disconnected;
        private volatile boolean closing;

        Member(Channel channel, int index, EchoPayload own, int publishers, boolean slowReader) {
            this.channel = channel;
            this.index = index;
            this.own = own;
            this.slowReader = slowReader;
            this.nextSequence = new long[publishers];
            this.seen = new boolean[publishers];
            if (slowReader) {
                // A small window, so the server feels the slow reader soon instead of after megabytes of kernel buffer.
                channel.config().setOption(io.netty.channel.ChannelOption.SO_RCVBUF, 4 * SLOW_READ_BYTES);
            }
        }

        void joined(BroadcastRoom room) {
            broadcast = room;
            latencyWriter = room.writerFor(channel.eventLoop(), slowReader);
            publishLagWriter = own == null ? null : room.publishLag.newWriter();
        }

        private void startClosedLoop(int inFlight) {
            AtomicInteger[] slots = new AtomicInteger[inFlight];
            for (int i = 0; i < inFlight; i++) {
                slots[i] = new AtomicInteger();
            }
            slotSentNanos = new long[inFlight];
            undelivered = slots;
            closedLoop = true;
            for (int i = 0; i < inFlight; i++) {
                publish(System.nanoTime());
            }
            long check = Math.max(TimeUnit.MILLISECONDS.toNanos(10), broadcast.echoTimeout.toNanos() / 4);
            lossCheck = channel.eventLoop().scheduleWithFixedDelay(this::checkUndelivered, check, check, TimeUnit.NANOSECONDS);
        }

        /**
         * A closed loop waits for the last member to have each message, so a delivery the server lost would stall it
         * silently: a message still undelivered after the echo timeout fails the room, naming how many members lack it.
         */
        private void checkUndelivered() {
            long now = System.nanoTime();
            for (int slot = 0; slot < undelivered.length; slot++) {
                int missing = undelivered[slot].get();
                if (missing > 0 && now - slotSentNanos[slot] > broadcast.echoTimeout.toNanos()) {
                    fail(Kind.TIMEOUT, "lost deliveries: a message of publisher " + index + " reached only "
                            + (broadcast.countedMembers - missing) + " of " + broadcast.countedMembers + " members within "
                            + broadcast.echoTimeout.toMillis() + " ms");
                    return;
                }
            }
        }

        private void startOpenLoop(long firstDueNanos, long interval) {
            nextDueNanos = firstDueNanos;
            intervalNanos = interval;
            pacer = channel.eventLoop().schedule(paceTask, Math.max(0, nextDueNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        }

        private void pace() {
            long now = System.nanoTime();
            for (int burst = 0; nextDueNanos <= now && burst < MAX_SENDS_PER_WAKE; burst++) {
                publish(nextDueNanos);
                nextDueNanos += intervalNanos;
            }
            pacer = channel.eventLoop().schedule(paceTask, Math.max(0, nextDueNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        }

        private void halt() {
            closedLoop = false;
            if (lossCheck != null) {
                lossCheck.cancel(false);
                lossCheck = null;
            }
            if (pacer != null) {
                pacer.cancel(false);
                pacer = null;
            }
        }

        private void publish(long dueNanos) {
            if (closing || broadcast.failure.get() != null) {
                return;
            }
            long sequence = sent;
            if (closedLoop) {
                int slot = (int) (sequence % undelivered.length);
                undelivered[slot].set(broadcast.countedMembers);
                slotSentNanos[slot] = System.nanoTime();
            }
            ByteBuf message = own.encode(channel.alloc(), sequence, HEADER_BYTES);
            writeHex(message, 0, index, PUBLISHER_DIGITS);
            writeHex(message, PUBLISHER_DIGITS, dueNanos, 16);
            sent = sequence + 1;
            publishLagWriter.recordNanos(System.nanoTime() - dueNanos);
            WebSocketFrame frame = own.type() == MessageType.TEXT ? new TextWebSocketFrame(message) : new BinaryWebSocketFrame(message);
            channel.writeAndFlush(frame, channel.voidPromise());
        }

        /** On the member that received message {@code sequence} of this publisher: one more member has it. */
        private void deliveredOnce(long sequence) {
            if (!closedLoop || undelivered == null) {
                return;
            }
            if (undelivered[(int) (sequence % undelivered.length)].decrementAndGet() == 0) {
                if (channel.eventLoop().inEventLoop()) {
                    publishNext();
                } else {
                    channel.eventLoop().execute(this::publishNext);
                }
            }
        }

        private void publishNext() {
            if (closedLoop) {
                publish(System.nanoTime());
            }
        }

        private void onMessage(ByteBuf content, MessageType type) {
            long now = System.nanoTime();
            if (content.readableBytes() < HEADER_BYTES) {
                fail(Kind.CORRUPTED, "a delivery of " + content.readableBytes() + " bytes, shorter than the header");
                return;
            }
            int start = content.readerIndex();
            long publisher = readHex(content, start, PUBLISHER_DIGITS);
            long due = readHex(content, start + PUBLISHER_DIGITS, 16);
            if (publisher < 0 || publisher >= nextSequence.length || due == -1) {
                fail(Kind.CORRUPTED, "a delivery whose header is damaged: '"
                        + content.toString(start, HEADER_BYTES, StandardCharsets.US_ASCII) + "'");
                return;
            }
            int p = (int) publisher;
            EchoPayload payload = broadcast.payloads[p];
            if (payload.type() != type) {
                fail(Kind.CORRUPTED, "publisher " + p + "'s " + payload.type() + " message delivered as " + type);
                return;
            }
            ByteBuf body = content.slice(start + HEADER_BYTES, content.readableBytes() - HEADER_BYTES);
            long expected = nextSequence[p];
            long got = payload.sequenceOf(body);
            if (!seen[p] && broadcast.joining && got >= 0) {
                seen[p] = true; // joined the room just before this message: it is this member's start
                skipped += got;
                publishersSeen = publishersSeen + 1;
                expected = got;
            } else if (!seen[p]) {
                fail(Kind.OUT_OF_ORDER, "publisher " + p + "'s message #" + got + " is the first this member got, after"
                        + " the room was complete: deliveries lost");
                return;
            }
            if (got > expected && slowReader) {
                lost += got - expected; // the server dropped these for the slow reader: its choice, counted
                expected = got;
            } else if (got > expected) {
                fail(Kind.OUT_OF_ORDER, "lost deliveries: publisher " + p + "'s message #" + got + " arrived, #" + expected
                        + " to #" + (got - 1) + " never did");
                return;
            } else if (got >= 0 && got < expected) {
                fail(Kind.OUT_OF_ORDER, "publisher " + p + "'s message #" + got + " arrived again or late (expected #"
                        + expected + "): a duplicate or reordered delivery");
                return;
            }
            String problem = payload.verify(body, expected, 1);
            if (problem != null) {
                fail(Kind.CORRUPTED, "publisher " + p + ": " + problem.replace("echo", "delivery"));
                return;
            }
            nextSequence[p] = expected + 1;
            latencyWriter.recordNanos(now - due);
            received = received + 1;
            if (!slowReader) {
                broadcast.members.get(p).deliveredOnce(expected);
            }
        }

        private void fail(Kind kind, String what) {
            broadcast.fail(new EchoFailedException(kind, "member " + index + " of the room at " + broadcast.room + ": " + what));
        }

        private void connectionEnded(String how) {
            if (closing) {
                return;
            }
            if (slowReader) {
                disconnected = true; // the server's answer to a slow reader: counted, not a failure
            } else if (broadcast != null) {
                fail(Kind.CONNECTION_CLOSED, how);
            } else {
                ready.completeExceptionally(new EchoFailedException(Kind.CONNECTION_CLOSED, how + " during the handshake"));
            }
        }

        void close(Duration timeout) {
            closing = true;
            if (slowReads != null) {
                slowReads.cancel(false);
            }
            if (channel.isActive()) {
                channel.writeAndFlush(new CloseWebSocketFrame(1000, "bye"));
                channel.closeFuture().awaitUninterruptibly(timeout.toMillis(), TimeUnit.MILLISECONDS);
            }
            channel.close().awaitUninterruptibly(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }

        private final class Handler extends ChannelInboundHandlerAdapter {
            @Override
            public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
                if (event == ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
                    if (slowReader) {
                        channel.config().setRecvByteBufAllocator(new FixedRecvByteBufAllocator(SLOW_READ_BYTES).maxMessagesPerRead(1));
                        channel.config().setAutoRead(false);
                        slowReads = channel.eventLoop().scheduleAtFixedRate(channel::read, SLOW_READ_MILLIS, SLOW_READ_MILLIS,
                                TimeUnit.MILLISECONDS);
                    }
                    ready.complete(Member.this);
                } else if (event == ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT) {
                    ready.completeExceptionally(new EchoFailedException(Kind.HANDSHAKE, "no WebSocket handshake answer in time"));
                }
                ctx.fireUserEventTriggered(event);
            }

            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                try {
                    if (broadcast == null && (msg instanceof TextWebSocketFrame || msg instanceof BinaryWebSocketFrame)) {
                        // Not yet joined: nothing is published before the room is complete.
                        ready.completeExceptionally(new EchoFailedException(Kind.UNEXPECTED, "a message before anyone published"));
                    } else if (msg instanceof TextWebSocketFrame text) {
                        onMessage(text.content(), MessageType.TEXT);
                    } else if (msg instanceof BinaryWebSocketFrame binary) {
                        onMessage(binary.content(), MessageType.BINARY);
                    } else if (msg instanceof CloseWebSocketFrame close) {
                        connectionEnded("the server closed the connection (code " + close.statusCode() + " '" + close.reasonText() + "')");
                        ctx.close();
                    } else if (msg instanceof WebSocketFrame frame) {
                        fail(Kind.UNEXPECTED, "unexpected " + frame.getClass().getSimpleName());
                    }
                } finally {
                    ReferenceCountUtil.release(msg);
                }
            }

            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                if (!ready.isDone()) {
                    ready.completeExceptionally(new EchoFailedException(Kind.HANDSHAKE, "joining the room failed: " + cause, cause));
                } else {
                    connectionEnded("the connection failed: " + cause);
                }
                ctx.close();
            }

            @Override
            public void channelInactive(ChannelHandlerContext ctx) {
                if (slowReads != null) {
                    slowReads.cancel(false);
                }
                connectionEnded("the server closed the connection");
                ctx.fireChannelInactive();
            }
        }
    }

    private static void writeHex(ByteBuf buf, int index, long value, int digits) {
        for (int i = 0; i < digits; i++) {
            buf.setByte(index + i, HEX[(int) (value >>> (4 * (digits - 1 - i))) & 0xF]);
        }
    }

    /** The hex number, or -1 when a digit is not one (a due time of -1 would be 16 f's: never a real nanoTime here). */
    private static long readHex(ByteBuf buf, int index, int digits) {
        long value = 0;
        for (int i = 0; i < digits; i++) {
            int digit = EchoPayload.lowerHexDigit(buf.getByte(index + i));
            if (digit < 0) {
                return -1;
            }
            value = (value << 4) | digit;
        }
        return value;
    }
}
