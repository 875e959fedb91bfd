package io.wsbench.wire;

/**
 * Sizes every side of an echo agrees on: the largest message a server echoes and a client accepts, and
 * the raw-TCP floor's framing (a 4-byte big-endian length in front of every message).
 */
public final class MessageLimits {
    /** 1 MiB, inclusive: the largest message every server echoes; one byte more is closed with 1009. */
    public static final int DEFAULT_MAX_MESSAGE_BYTES = 1 << 20;

    /** Bytes of the length prefix in front of every raw-TCP message. */
    public static final int RAW_TCP_LENGTH_PREFIX_BYTES = 4;

    private MessageLimits() {
    }
}
