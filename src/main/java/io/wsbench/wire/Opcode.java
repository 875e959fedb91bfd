package io.wsbench.wire;

/** WebSocket frame opcodes (RFC 6455 §5.2) and their names for transcripts. */
public final class Opcode {
    public static final int CONTINUATION = 0x0;
    public static final int TEXT = 0x1;
    public static final int BINARY = 0x2;
    public static final int CLOSE = 0x8;
    public static final int PING = 0x9;
    public static final int PONG = 0xA;

    private Opcode() {
    }

    /** Control frames are those whose opcode has its most significant bit set (§5.5). */
    public static boolean isControl(int opcode) {
        return (opcode & 0x8) != 0;
    }

    /** {@code text}, {@code close}, ... or {@code opcode 0x3} for the reserved ones. */
    public static String name(int opcode) {
        return switch (opcode) {
            case CONTINUATION -> "continuation";
            case TEXT -> "text";
            case BINARY -> "binary";
            case CLOSE -> "close";
            case PING -> "ping";
            case PONG -> "pong";
            default -> String.format("opcode 0x%X", opcode);
        };
    }
}
