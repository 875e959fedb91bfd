package io.wsbench.server;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;

/**
 * What a running server really uses, read back from its live objects (thread pools, selectors, container limits), not
 * copied from the {@link ServerConfig} it was given: the record a run keeps beside its results, and what the
 * equal-resources test checks against {@link ServerConfig#serverThreads()}.
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

    public ServerSettings {
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    public static Builder of(String server) {
        return new Builder(server);
    }

    public String get(String key) {
        return values.get(key);
    }

    /** {@code netty: ioThreads=1 workerThreads=0 ...}: one line for a run record. */
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

        public Builder put(String key, Object value) {
            values.put(key, String.valueOf(value));
            return this;
        }

        public ServerSettings build() {
            return new ServerSettings(server, values);
        }
    }
}
