package io.wsbench.server;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;

/**
 * What a running server really uses, read back from its live objects (thread pools, selectors, container limits, live
 * threads by name): the record a run keeps beside its results, and what the equal-resources test checks against
 * {@link ServerConfig#serverThreads()}. A value the library gives no way to read back is put with {@link
 * Builder#putConfigured} and carries {@value #CONFIGURED_MARK} ({@link #LEGEND}).
 *
 * <p>Keys every embedded server fills: {@value #IO_THREADS} (threads doing socket I/O), {@value #WORKER_THREADS}
 * (most threads of a separate pool the echo runs on; 0 when it runs on the I/O threads), {@value #TRANSPORT},
 * {@value #MAX_MESSAGE_BYTES}, {@value #IDLE_TIMEOUT_MS}, {@value #COMPRESSION}, {@value #TLS}, {@value #BROADCAST} (the
 * WebSocket servers); servers add what else matters to them.
 */
public record ServerSettings(String server, Map<String, String> values) {
    public static final String IO_THREADS = "ioThreads";
    public static final String WORKER_THREADS = "workerThreads";
    public static final String ACCEPTOR_THREADS = "acceptorThreads";
    public static final String LIVE_THREADS = "liveThreads";
    public static final String TRANSPORT = "transport";
    public static final String MAX_MESSAGE_BYTES = "maxMessageBytes";
    public static final String IDLE_TIMEOUT_MS = "idleTimeoutMs";
    public static final String COMPRESSION = "compression";
    /** none, jdk or openssl: the TLS implementation serving {@code wss://} ({@link ServerTls#paramValue()}). */
    public static final String TLS = "tls";
    /** How the broadcast room is kept and written to, in the library's own terms (e.g. "ChannelGroup"). */
    public static final String BROADCAST = "broadcast";

    /**
     * Ends every value that was not read from the running server: the setting it was started with (this suite's, or the
     * library's default it leaves alone, or what the code does by design, such as no worker pool).
     */
    public static final String CONFIGURED_MARK = " (configured)";

    /** What {@link #CONFIGURED_MARK} means, for the head of a settings file. */
    public static final String LEGEND = "each value is read from the running server's objects, except one that ends in"
            + CONFIGURED_MARK + ": that one is the setting the server was started with (the suite's, a library default"
            + " left alone, or the code's design, such as no worker pool), which its library gives no way to read back";

    public ServerSettings {
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    public static Builder of(String server) {
        return new Builder(server);
    }

    /** The value of {@code key} without {@link #CONFIGURED_MARK}; null when the server does not report it. */
    public String get(String key) {
        String value = values.get(key);
        return isConfigured(key) ? value.substring(0, value.length() - CONFIGURED_MARK.length()) : value;
    }

    /** Whether the value of {@code key} is the configured one ({@link Builder#putConfigured}), not read back. */
    public boolean isConfigured(String key) {
        String value = values.get(key);
        return value != null && value.endsWith(CONFIGURED_MARK);
    }

    /** {@code netty: ioThreads=1 workerThreads=0 (configured) ...}: one line for a run record. */
    public String describe() {
        StringJoiner line = new StringJoiner(" ", server + ": ", "");
        values.forEach((key, value) -> line.add(key + "=" + value));
        return line.toString();
    }

    /** Collects the values in the order they are put. */
    public static final class Builder {
        private final String server;
        private final Map<String, String> values = new LinkedHashMap<>();

        private Builder(String server) {
            this.server = server;
        }

        /** A value read from the running server. */
        public Builder put(String key, Object value) {
            values.put(key, String.valueOf(value));
            return this;
        }

        /** A value its library gives no way to read back: recorded as configured ({@link #CONFIGURED_MARK}). */
        public Builder putConfigured(String key, Object value) {
            values.put(key, value + CONFIGURED_MARK);
            return this;
        }

        public ServerSettings build() {
            return new ServerSettings(server, values);
        }
    }
}
