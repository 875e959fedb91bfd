package io.wsbench.client;

import java.time.Duration;

/**
 * When each message of an open-loop run is due: a total rate spread evenly over the connections.
 *
 * <p>The run's sends, taken together, are evenly spaced {@code 1/rate} apart and go to the connections
 * in turn: send number {@code j} goes to connection {@code j mod connections}. So connection {@code i}
 * sends every {@code connections/rate} seconds, starting {@code i/rate} after the run starts, and the
 * connections never fire together in a burst. Due times are computed from the start, not added up
 * send after send, so they do not drift.
 *
 * <p>With a {@code tick}, every due time is rounded down to the tick grid (a multiple of the tick after the start):
 * the messages of one tick are due, and are sent, together, so a pacer wakes once per tick instead of once per
 * message. The rate is unchanged; the load arrives in small bursts of {@code rate × tick} messages to as many
 * connections. A zero tick keeps every message at its own evenly spaced time.
 */
public final class OpenLoopSchedule {
    private final double ratePerSecond;
    private final int connections;
    private final double nanosBetweenSends;
    private final long tickNanos;

    /**
     * @param ratePerSecond messages per second over all connections together
     * @throws IllegalArgumentException when the rate is not positive or there is no connection
     */
    public OpenLoopSchedule(double ratePerSecond, int connections) {
        this(ratePerSecond, connections, Duration.ZERO);
    }

    /**
     * @param ratePerSecond messages per second over all connections together
     * @param tick the grid due times are rounded down to; zero for none
     * @throws IllegalArgumentException when the rate is not positive, there is no connection or the tick is negative
     */
    public OpenLoopSchedule(double ratePerSecond, int connections, Duration tick) {
        if (!(ratePerSecond > 0) || Double.isInfinite(ratePerSecond)) {
            throw new IllegalArgumentException("rate must be a positive number of messages per second, was "
                    + ratePerSecond + " (e.g. -p rate=10000)");
        }
        if (connections < 1) {
            throw new IllegalArgumentException("need at least one connection, was " + connections);
        }
        this.ratePerSecond = ratePerSecond;
        this.connections = connections;
        if (tick.isNegative()) {
            throw new IllegalArgumentException("tick must not be negative, was " + tick);
        }
        this.nanosBetweenSends = 1e9 / ratePerSecond;
        this.tickNanos = tick.toNanos();
    }

    /** The tick due times are rounded down to; zero for none. */
    public Duration tick() {
        return Duration.ofNanos(tickNanos);
    }

    public double ratePerSecond() {
        return ratePerSecond;
    }

    public int connections() {
        return connections;
    }

    /** Time between two sends on one connection. */
    public Duration perConnectionInterval() {
        return Duration.ofNanos(Math.round(connections * nanosBetweenSends));
    }

    /** When connection {@code connection} (0-based) sends its message number {@code round} (0-based). */
    public long dueNanos(long startNanos, int connection, long round) {
        long offset = Math.round((connection + (double) round * connections) * nanosBetweenSends);
        return startNanos + (tickNanos == 0 ? offset : offset - offset % tickNanos);
    }

    /**
     * Fails when a connection would send less than once per {@code window}: such a run measures
     * almost nothing per connection, and an iteration could end without a single echo.
     *
     * @param window the shortest iteration of the run
     */
    public void requireEveryConnectionSendsWithin(Duration window) {
        Duration interval = perConnectionInterval();
        if (interval.compareTo(window) > 0) {
            double minimumRate = Math.ceil(connections / (window.toNanos() / 1e9));
            throw new IllegalArgumentException(String.format(
                    "rate=%s msg/s over %d connections sends on each connection only every %.3f s, longer than an"
                            + " iteration (%.3f s): raise -p rate to at least %.0f, use fewer connections or longer iterations",
                    formatRate(ratePerSecond), connections, interval.toNanos() / 1e9, window.toNanos() / 1e9, minimumRate));
        }
    }

    private static String formatRate(double rate) {
        return rate == Math.rint(rate) ? String.valueOf((long) rate) : String.valueOf(rate);
    }
}
