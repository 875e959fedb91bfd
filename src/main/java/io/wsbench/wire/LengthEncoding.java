package io.wsbench.wire;

/**
 * How a frame's payload length is written (RFC 6455 §5.2): in the 7-bit field, or as 126 plus a
 * 16-bit length, or as 127 plus a 64-bit length. Senders MUST use the shortest form; the longer
 * forms exist here so that the codec can be tested with every encoding.
 */
public enum LengthEncoding {
    /** The shortest form that fits the payload, as the RFC requires of senders. */
    MINIMAL,
    SEVEN_BIT,
    SIXTEEN_BIT,
    SIXTY_FOUR_BIT;

    static final int MAX_SEVEN_BIT = 125;
    static final int MAX_SIXTEEN_BIT = 0xFFFF;

    /** The concrete encoding for a payload of {@code length} bytes; MINIMAL resolved to the shortest. */
    LengthEncoding resolve(long length) {
        LengthEncoding shortest = length <= MAX_SEVEN_BIT ? SEVEN_BIT
                : length <= MAX_SIXTEEN_BIT ? SIXTEEN_BIT : SIXTY_FOUR_BIT;
        if (this == MINIMAL) {
            return shortest;
        }
        if (this == SEVEN_BIT && length > MAX_SEVEN_BIT || this == SIXTEEN_BIT && length > MAX_SIXTEEN_BIT) {
            throw new IllegalArgumentException(
                    "a payload of " + length + " bytes does not fit the " + this + " length encoding; use " + shortest);
        }
        return this;
    }
}
