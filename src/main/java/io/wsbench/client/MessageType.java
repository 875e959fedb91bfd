package io.wsbench.client;

/** WebSocket message type sent and expected back: the {@code type} parameter. */
public enum MessageType {
    TEXT, BINARY;

    /** Parses {@code text} or {@code binary}, naming the valid values when it is neither. */
    public static MessageType parse(String value) {
        for (MessageType t : values()) {
            if (t.name().equalsIgnoreCase(value)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown message type '" + value + "': use text or binary (e.g. -p type=text)");
    }
}
