package io.wsbench.client;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ScheduledFuture;
import io.wsbench.client.EchoFailedException.Kind;
import io.wsbench.record.LatencyRecorder;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * Many connections to one echo server, kept open and driven by a closed or an open loop, with the
 * latency of every verified echo recorded.
 *
 * <p>All sending happens on the client's event loops, one driver per loop for the connections on it:
 * the closed loop sends the next message from the echo callback; the open loop runs a pacer task
 * that wakes when the next message is due, sends every message that is due (at most {@value
 * #MAX_SENDS_PER_WAKE} per wake, so the loop keeps reading echoes even when it has fallen behind)
 * and schedules itself for the next one. Each message is stamped with the time it was due, so a
 * pacer or a server that falls behind shows up in the latencies instead of hiding (coordinated
 * omission, as wrk2 corrects it).
 *
 * <p>Latency (due → echo received) and send lag (due → handed to the socket) go into {@link
 * LatencyRecorder}s with one writer per event loop. {@link #start}s and {@link #stop}s come from one
 * controlling thread; {@link #stop} waits until every message sent has come back, so a run split into
 * intervals loses no echo and mixes none into the next interval.
 */
public final class EchoLoad implements AutoCloseable {
    /** Handshakes in flight at once while connecting: fast for 1000 connections, well inside accept backlogs. */
    public static final int DEFAULT_MAX_PENDING_HANDSHAKES = 50;
    private static final int MAX_SENDS_PER_WAKE = 1024;
    private static final Duration LOOP_ANSWER_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration DEFAULT_CLOSE_BUDGET = Duration.ofSeconds(30);
    /** Lets the start task reach every event loop before the first message of an open loop is due. */
    private static final long OPEN_LOOP_START_LEAD_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private final URI target;
    private final List<EchoConnection> connections;
    private final ConnectionOpener.Opened<EchoConnection> opening;
    private final List<LoopDriver> drivers = new ArrayList<>();
    private final Duration echoTimeout;
    private final LatencyRecorder latency = new LatencyRecorder();
    private final LatencyRecorder sendLag = new LatencyRecorder();
    private final AtomicReference<EchoFailedException> failure = new AtomicReference<>();
    private boolean running;

    private EchoLoad(URI target, ConnectionOpener.Opened<EchoConnection> opening, Duration echoTimeout) {
        this.target = target;
        this.opening = opening;
        this.connections = opening.connections();
        this.echoTimeout = echoTimeout;
        Map<EventLoop, List<Integer>> byLoop = new LinkedHashMap<>();
        for (int i = 0; i < connections.size(); i++) {
            byLoop.computeIfAbsent(connections.get(i).eventLoop(), loop -> new ArrayList<>()).add(i);
        }
        byLoop.forEach((loop, indices) -> drivers.add(new LoopDriver(loop, indices)));
    }

    /**
     * Opens {@code count} connections, at most {@code maxPendingHandshakes} handshakes at a time, and
     * keeps them open until {@link #close}.
     *
     * @throws EchoFailedException when any connection cannot be opened within the client's connect
     *     timeout, saying how many were open by then; those are closed again
     */
    public static EchoLoad open(EchoClient client, URI target, MessageType type, int payloadBytes, int count,
            int maxPendingHandshakes) {
        return open(client, target, type, payloadBytes, count, maxPendingHandshakes, Duration.ZERO);
    }

    /**
     * As {@link #open(EchoClient, URI, MessageType, int, int, int)}, but ramped: connection {@code i} starts its
     * handshake no earlier than {@code ramp × i / count} after the first, so the connections arrive evenly over
     * {@code ramp} (as clients of a real service do) instead of all at once. Zero: no ramp.
     */
    public static EchoLoad open(EchoClient client, URI target, MessageType type, int payloadBytes, int count,
            int maxPendingHandshakes, Duration ramp) {
        ConnectionOpener.Opened<EchoConnection> opened = ConnectionOpener.open(
                () -> client.connectAsync(target, type, payloadBytes), count, maxPendingHandshakes, ramp,
                client.config().connectTimeout(), target, connections -> closeAll(connections, DEFAULT_CLOSE_BUDGET));
        return new EchoLoad(target, opened, client.config().echoTimeout());
    }

    /** How the connections were opened: the handshake time of each, and the connect rate. */
    public ConnectionOpener.Opened<EchoConnection> opening() {
        return opening;
    }

    public URI target() {
        return target;
    }

    /** Number of open connections. */
    public int size() {
        return connections.size();
    }

    /** Round-trip latency of every echo, measured from the time its message was due. */
    public LatencyRecorder latency() {
        return latency;
    }

    /** How late each message was handed to the socket, measured from the time it was due. */
    public LatencyRecorder sendLag() {
        return sendLag;
    }

    /** Verified echoes so far, all connections together. */
    public long echoed() {
        long total = 0;
        for (LoopDriver d : drivers) {
            total += d.echoes;
        }
        return total;
    }

    /** The first failure of any connection, or null while all are healthy. */
    public EchoFailedException failure() {
        return failure.get();
    }

    /** Throws the first failure of any connection, if there was one. */
    public void throwIfFailed() {
        EchoFailedException f = failure.get();
        if (f != null) {
            throw new EchoFailedException(f.kind(), f.getMessage(), f);
        }
    }

    /** Closed loop: every connection keeps {@code inFlight} messages outstanding until {@link #stop}. */
    public void startClosedLoop(int inFlight) {
        if (inFlight < 1) {
            throw new IllegalArgumentException("inFlight must be at least 1, was " + inFlight);
        }
        beginRun();
        onEveryLoop(d -> d.startClosedLoop(inFlight));
    }

    /**
     * Open loop: sends on {@code schedule}, starting now, until {@link #stop}. A schedule for fewer connections than the
     * load has drives the first ones only, the others staying idle (open, sending nothing).
     */
    public void startOpenLoop(OpenLoopSchedule schedule) {
        if (schedule.connections() > connections.size()) {
            throw new IllegalArgumentException("schedule is for " + schedule.connections() + " connections, the load has "
                    + connections.size());
        }
        beginRun();
        long startNanos = System.nanoTime() + OPEN_LOOP_START_LEAD_NANOS;
        onEveryLoop(d -> d.startOpenLoop(schedule, startNanos));
    }

    private void beginRun() {
        throwIfFailed();
        if (running) {
            throw new IllegalStateException("load is already running: stop() it first");
        }
        running = true;
    }

    /**
     * Stops sending and waits until every message sent has been echoed (at most the echo timeout
     * plus a second: a missing echo fails its connection before that).
     *
     * @throws EchoFailedException if a connection failed at any time during the run
     */
    public void stop() {
        if (!running) {
            throw new IllegalStateException("load is not running");
        }
        running = false;
        onEveryLoop(LoopDriver::halt);
        long deadline = System.nanoTime() + echoTimeout.toNanos() + TimeUnit.SECONDS.toNanos(1);
        while (inFlight() > 0) {
            throwIfFailed();
            if (System.nanoTime() - deadline > 0) {
                throw new EchoFailedException(Kind.TIMEOUT, inFlight() + " echoes from " + target
                        + " still missing after the load stopped, though no connection reported a failure");
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
        throwIfFailed();
    }

    private long inFlight() {
        long total = 0;
        for (LoopDriver d : drivers) {
            total += d.sent - d.echoes;
        }
        return total;
    }

    /** Runs {@code action} on every driver's event loop and waits until all have run it. */
    private void onEveryLoop(Consumer<LoopDriver> action) {
        List<Future<?>> done = new ArrayList<>(drivers.size());
        for (LoopDriver d : drivers) {
            done.add(d.loop.submit(() -> action.accept(d)));
        }
        long deadline = System.nanoTime() + LOOP_ANSWER_TIMEOUT.toNanos();
        for (Future<?> f : done) {
            long remainingMillis = Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
            if (!f.awaitUninterruptibly(remainingMillis)) {
                throw new IllegalStateException("a client event loop did not answer within " + LOOP_ANSWER_TIMEOUT.toSeconds()
                        + " s: it is blocked or hopelessly behind");
            }
            if (!f.isSuccess()) {
                throw new IllegalStateException("client event loop task failed: " + f.cause(), f.cause());
            }
        }
    }

    /** Stops any run and closes every connection, spending at most {@code budget} on close handshakes. */
    public void close(Duration budget) {
        try {
            if (running) {
                running = false;
                onEveryLoop(LoopDriver::halt);
            }
        } finally {
            closeAll(connections, budget);
        }
    }

    /** {@link #close(Duration)} with a 30 s budget. */
    @Override
    public void close() {
        close(DEFAULT_CLOSE_BUDGET);
    }

    /** Closes one after another; once the budget is spent the rest are closed without waiting for the server. */
    private static void closeAll(List<EchoConnection> toClose, Duration budget) {
        long deadline = System.nanoTime() + budget.toNanos();
        for (EchoConnection c : toClose) {
            c.close(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
        }
    }

    /** Sends for, and listens to, the connections of one event loop; everything but the counters is loop-only. */
    private final class LoopDriver implements EchoListener {
        private final EventLoop loop;
        private final EchoConnection[] loopConnections;
        /** Each connection's position in the whole load, ascending: its slot in the open-loop schedule. */
        private final int[] scheduleSlots;
        private final LatencyRecorder.Writer latencyWriter = latency.newWriter();
        private final LatencyRecorder.Writer sendLagWriter = sendLag.newWriter();
        private final Runnable paceTask = this::pace;

        // Written by the event loop only (so ++ is safe), read by the controlling thread.
        private volatile long sent;
        private volatile long echoes;

        private boolean closedLoop;
        private OpenLoopSchedule schedule;
        private long startNanos;
        private long paced;
        /** How many of this loop's connections (its first ones: slots ascend) the open loop drives. */
        private int pacedConnections;
        private long nextDueNanos;
        private ScheduledFuture<?> pacer;

        LoopDriver(EventLoop loop, List<Integer> indices) {
            this.loop = loop;
            this.loopConnections = new EchoConnection[indices.size()];
            this.scheduleSlots = new int[indices.size()];
            for (int i = 0; i < indices.size(); i++) {
                scheduleSlots[i] = indices.get(i);
                loopConnections[i] = connections.get(indices.get(i));
                loopConnections[i].listener(this);
            }
        }

        @Override
        public void onEcho(EchoConnection connection, long intendedSendNanos, long sentNanos, long receivedNanos) {
            latencyWriter.recordNanos(receivedNanos - intendedSendNanos);
            sendLagWriter.recordNanos(sentNanos - intendedSendNanos);
            echoes++;
            if (closedLoop) {
                connection.send(System.nanoTime());
                sent++;
            }
        }

        @Override
        public void onFailure(EchoConnection connection, EchoFailedException f) {
            failure.compareAndSet(null, f);
        }

        void startClosedLoop(int inFlight) {
            closedLoop = true;
            for (EchoConnection c : loopConnections) {
                for (int i = 0; i < inFlight; i++) {
                    c.send(System.nanoTime());
                    sent++;
                }
            }
        }

        void startOpenLoop(OpenLoopSchedule openLoop, long start) {
            schedule = openLoop;
            startNanos = start;
            paced = 0;
            // The schedule's connections are the load's first ones: this loop drives those of them it has.
            pacedConnections = 0;
            while (pacedConnections < scheduleSlots.length && scheduleSlots[pacedConnections] < openLoop.connections()) {
                pacedConnections++;
            }
            if (pacedConnections == 0) {
                return;
            }
            nextDueNanos = dueNanos(0);
            pacer = loop.schedule(paceTask, Math.max(0, nextDueNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        }

        /** The loop's paced connections send in slot order, one round after another. */
        private long dueNanos(long send) {
            int n = pacedConnections;
            return schedule.dueNanos(startNanos, scheduleSlots[(int) (send % n)], send / n);
        }

        private void pace() {
            long now = System.nanoTime();
            for (int burst = 0; nextDueNanos <= now && burst < MAX_SENDS_PER_WAKE; burst++) {
                loopConnections[(int) (paced % pacedConnections)].send(nextDueNanos);
                sent++;
                paced++;
                nextDueNanos = dueNanos(paced);
            }
            pacer = loop.schedule(paceTask, Math.max(0, nextDueNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        }

        void halt() {
            closedLoop = false;
            if (pacer != null) {
                pacer.cancel(false);
                pacer = null;
            }
        }
    }
}
