package io.wsbench.client;

/**
 * How a load run decides when to send: the {@code loadModel} parameter.
 *
 * <ul>
 *   <li>{@code CLOSED}: every connection keeps a fixed number of messages in flight and sends the next
 *       one as soon as an echo comes back, so the server sets the pace (throughput at saturation);
 *   <li>{@code OPEN}: messages are sent on a fixed schedule whatever the server does, and latency is
 *       measured from when each message was due (no coordinated omission).
 * </ul>
 */
public enum LoadModel {
    CLOSED, OPEN;

    /** Parses {@code closed} or {@code open}, naming the valid values when it is neither. */
    public static LoadModel parse(String value) {
        for (LoadModel m : values()) {
            if (m.name().equalsIgnoreCase(value)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown load model '" + value
                + "': use closed (fixed messages in flight) or open (fixed rate), e.g. -p loadModel=open");
    }
}
