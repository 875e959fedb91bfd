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

    /**
     * Whether {@code text} takes more than {@code limit} bytes in UTF-8, scanning only when the char count cannot
     * decide: every char is 1 to 3 bytes and a surrogate pair is 4, so length &le; bytes &le; 3 &times; length. For
     * servers whose library limits text in chars, not bytes, and so must check the byte limit themselves.
     */
    public static boolean exceedsUtf8Bytes(CharSequence text, int limit) {
        int chars = text.length();
        if (chars > limit) {
            return true;
        }
        if (3L * chars <= limit) {
            return false;
        }
        return utf8Bytes(text) > limit;
    }

    /** The length of {@code text} in UTF-8; an unpaired surrogate counts 3 bytes, as the replacement it becomes. */
    public static long utf8Bytes(CharSequence text) {
        int chars = text.length();
        long bytes = 0;
        for (int i = 0; i < chars; i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < chars && Character.isLowSurrogate(text.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }
}
