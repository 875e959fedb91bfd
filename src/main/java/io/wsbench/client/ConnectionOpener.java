package io.wsbench.client;

import io.wsbench.client.EchoFailedException.Kind;
import io.wsbench.record.LatencyRecorder;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.HdrHistogram.Histogram;

/**
 * Opens many connections the way every load in this client does: at most {@code maxPendingHandshakes} handshakes at
 * a time, optionally spread evenly over a ramp, every wait bounded by the connect timeout; and times each one, from
 * the start of its TCP connect to its completed handshake, for the connect rate and the handshake percentiles.
 */
public final class ConnectionOpener {

    /**
     * The connections that opened, in order, with what opening them took.
     *
     * @param handshakeMicros each connection's TCP connect plus TLS and WebSocket handshakes, µs
     * @param elapsedNanos from the first connect to the last handshake
     */
    public record Opened<T>(List<T> connections, Histogram handshakeMicros, long elapsedNanos) {
        /** Connections opened per second over the whole opening. */
        public double perSecond() {
            return elapsedNanos == 0 ? 0 : connections.size() * 1e9 / elapsedNanos;
        }
    }

    private ConnectionOpener() {
    }

    /**
     * Opens {@code count} connections with {@code connect}, connection {@code i} starting no earlier than {@code ramp × i
     * / count} after the first (zero: no ramp).
     *
     * @param closeOnFailure closes the connections that did open when another failed
     * @throws EchoFailedException when any connection cannot be opened within the connect timeout, saying how many were
     *     open by then (those are closed again) and what to check
     */
    public static <T> Opened<T> open(Supplier<CompletableFuture<T>> connect, int count, int maxPendingHandshakes,
            Duration ramp, Duration connectTimeout, URI target, Consumer<List<T>> closeOnFailure) {
        if (ramp.isNegative()) {
            throw new IllegalArgumentException("the connection ramp must not be negative, was " + ramp);
        }
        if (count < 1) {
            throw new IllegalArgumentException("connections must be at least 1, was " + count);
        }
        if (maxPendingHandshakes < 1) {
            throw new IllegalArgumentException("maxPendingHandshakes must be at least 1, was " + maxPendingHandshakes);
        }
        Semaphore handshakeSlots = new Semaphore(maxPendingHandshakes);
        AtomicReference<Throwable> firstFailure = new AtomicReference<>();
        List<CompletableFuture<T>> pending = new ArrayList<>(count);
        Histogram handshakes = LatencyRecorder.newHistogram();
        // TCP connect and WebSocket handshake each have the connect timeout; a slot frees within both.
        long slotWaitMillis = 2 * connectTimeout.toMillis() + 1000;
        long rampStart = System.nanoTime();
        try {
            for (int i = 0; i < count && firstFailure.get() == null; i++) {
                // At most ramp in all: each wait ends at its connection's due time, which is within the ramp.
                long untilDue = rampStart + ramp.toNanos() / count * i - System.nanoTime();
                if (untilDue > 0) {
                    TimeUnit.NANOSECONDS.sleep(untilDue);
                }
                if (!handshakeSlots.tryAcquire(slotWaitMillis, TimeUnit.MILLISECONDS)) {
                    firstFailure.compareAndSet(null, new TimeoutException(maxPendingHandshakes
                            + " handshakes still unanswered after " + slotWaitMillis + " ms"));
                    break;
                }
                long started = System.nanoTime();
                CompletableFuture<T> connecting = connect.get();
                connecting.whenComplete((connection, error) -> {
                    long tookMicros = TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - started);
                    synchronized (handshakes) {
                        handshakes.recordValue(Math.min(Math.max(tookMicros, LatencyRecorder.LOWEST_MICROS),
                                LatencyRecorder.HIGHEST_MICROS));
                    }
                    handshakeSlots.release();
                    if (error != null) {
                        firstFailure.compareAndSet(null, error);
                    }
                });
                pending.add(connecting);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            firstFailure.compareAndSet(null, e);
        }
        List<T> opened = settle(pending, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(slotWaitMillis), firstFailure);
        long elapsed = System.nanoTime() - rampStart;
        Throwable failed = firstFailure.get();
        if (failed != null) {
            closeOnFailure.accept(opened);
            String cause = failed.getMessage() == null ? failed.toString() : failed.getMessage();
            if (failed instanceof EchoFailedException refused
                    && (refused.kind() == Kind.HANDSHAKE || refused.kind() == Kind.TLS)) {
                // The server said no to this kind of connection (a refused handshake, deflate not taken, TLS): its
                // reason is the message, not the connection count.
                throw new EchoFailedException(refused.kind(), cause + " (opened " + opened.size() + " of " + count
                        + " connections before)", failed);
            }
            throw new EchoFailedException(Kind.CONNECT, "opened " + opened.size() + " of " + count + " connections to "
                    + target + " before one failed; if the server is up, use fewer connections (-p connections), check the"
                    + " open-file limit (ulimit -n; an embedded server needs a descriptor for each end) and that the"
                    + " server accepts this many connections. First failure: " + cause, failed);
        }
        synchronized (handshakes) {
            return new Opened<>(opened, handshakes.copy(), elapsed);
        }
    }

    /** Waits until the deadline for every started handshake; returns the connections that opened, in order. */
    private static <T> List<T> settle(List<CompletableFuture<T>> pending, long deadlineNanos,
            AtomicReference<Throwable> firstFailure) {
        List<T> opened = new ArrayList<>(pending.size());
        for (CompletableFuture<T> connecting : pending) {
            try {
                long remaining = Math.max(0, deadlineNanos - System.nanoTime());
                opened.add(connecting.get(remaining, TimeUnit.NANOSECONDS));
            } catch (ExecutionException e) {
                firstFailure.compareAndSet(null, e.getCause());
            } catch (TimeoutException e) {
                // Left to EchoClient.close(), which closes every channel it still has.
                firstFailure.compareAndSet(null, new TimeoutException("a handshake did not finish in time"));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                firstFailure.compareAndSet(null, e);
            }
        }
        return opened;
    }
}
