package io.wsbench.results;

/**
 * The names of the secondary metrics the echo benchmarks add to JMH's results (console and JSON), in one place: the
 * profiler writes them, the reports, the capacity search and the soak report read them.
 */
public final class MetricNames {
    /** Latency percentiles (µs) of the merged distribution of every measured echo, as JMH's sample mode gives them. */
    public static final String LATENCY_P50 = "latency.p50";
    public static final String LATENCY_P90 = "latency.p90";
    public static final String LATENCY_P99 = "latency.p99";
    public static final String LATENCY_P999 = "latency.p999";
    public static final String LATENCY_P9999 = "latency.p9999";
    public static final String LATENCY_MAX = "latency.max";
    public static final String LATENCY_COUNT = "latency.count";
    /** How late the client sent against its schedule (µs): the client's share of an open loop's latency. */
    public static final String SEND_LAG_P50 = "sendLag.p50";
    public static final String SEND_LAG_P99 = "sendLag.p99";
    public static final String RATE_ACHIEVED = "rate.achieved";
    public static final String RATE_TARGET = "rate.target";
    public static final String RATE_SHORTFALL_PERCENT = "rateShortfallPercent";
    public static final String VALID = "valid";
    /** The busiest client thread's CPU, percent of one core; {@link #CLIENT_SATURATED} is 1 when it was at 90 % or more. */
    public static final String CLIENT_BUSIEST_THREAD_PERCENT = "client.busiestThreadPercent";
    public static final String CLIENT_SATURATED = "client.saturated";
    public static final String HEAP_AFTER_GC = "heap.afterGc";
    public static final String RSS = "rss";
    /** RSS (MiB) of a server that runs outside the benchmark JVM (a child process, a target on this host), its whole process tree. */
    public static final String SERVER_RSS = "rss.server";

    /** Bytes on the client's sockets per message, both directions, TLS records and WebSocket framing included. */
    public static final String WIRE_BYTES_PER_MESSAGE = "wire.bytesPerMsg";

    /** Broadcast with a slow subscriber: deliveries the server dropped for it, whether it closed it, how far behind it is. */
    public static final String SLOW_LOST = "slow.lost";
    public static final String SLOW_DISCONNECTED = "slow.disconnected";
    public static final String SLOW_BACKLOG = "slow.backlog";
    /**
     * The slow subscriber's own delivery latency (µs), kept apart from everyone else's: p99 of its merged distribution
     * over every measured iteration, like {@link #LATENCY_P99}; its histograms have their own log ({@link
     * HlogNames#metricLogPrefix}).
     */
    public static final String SLOW_LATENCY = "slow.latency";
    public static final String SLOW_LATENCY_P99 = SLOW_LATENCY + ".p99";

    /**
     * Idle connections: how fast they opened, and each one's TCP connect plus TLS and WebSocket handshakes (µs),
     * percentiles of the merged distribution of every fork's handshakes; their histograms have their own log.
     */
    public static final String CONNECT_PER_SECOND = "connect.perSecond";
    public static final String HANDSHAKE = "handshake";
    public static final String HANDSHAKE_P50 = HANDSHAKE + ".p50";
    public static final String HANDSHAKE_P99 = HANDSHAKE + ".p99";
    /**
     * Idle connections: the server's heap (after GC) and RSS per open connection over the same server with none; with
     * the server in the benchmark JVM, that JVM's, the client's connections included.
     */
    public static final String HEAP_BYTES_PER_CONNECTION = "heap.bytesPerConnection";
    public static final String RSS_BYTES_PER_CONNECTION = "rss.bytesPerConnection";
    /** Idle connections with the server in its own process: the client JVM's heap (after GC) per connection. */
    public static final String CLIENT_HEAP_BYTES_PER_CONNECTION = "client.heap.bytesPerConnection";

    private MetricNames() {
    }

    /** {@code cpu.server.percentOfCore}: CPU of {@code role} (server, client, gc, jit, jvmOther), percent of one core. */
    public static String cpuPercentOfCore(String role) {
        return "cpu." + role + ".percentOfCore";
    }

    /** {@code cpu.server.usPerMsg}: CPU microseconds of {@code role} per echoed message. */
    public static String cpuMicrosPerMessage(String role) {
        return "cpu." + role + ".usPerMsg";
    }
}
