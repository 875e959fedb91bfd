package io.wsbench.wire;

/**
 * What the messages of an echo session look like on a WebSocket connection: the {@code protocol} parameter.
 *
 * <ul>
 *   <li>{@code WEBSOCKET}: every WebSocket message is one message of the benchmark, echoed back as one message;
 *   <li>{@code SOCKETIO}: Socket.IO v5 over Engine.IO v4 on the WebSocket transport
 *       ({@code /socket.io/?EIO=4&transport=websocket}): the client joins the default namespace, sends each
 *       message as the event {@code message} and expects the event {@code response} back; text only.
 * </ul>
 */
public enum EchoProtocol {
    WEBSOCKET, SOCKETIO;

    /** Parses {@code websocket} or {@code socketio}, naming the valid values when it is neither. */
    public static EchoProtocol parse(String value) {
        for (EchoProtocol p : values()) {
            if (p.name().equalsIgnoreCase(value)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown protocol '" + value + "': use auto (the server's own), websocket or"
                + " socketio (e.g. -p protocol=socketio for a Socket.IO target)");
    }

    /** The parameter value: {@code websocket} or {@code socketio}. */
    public String paramValue() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
