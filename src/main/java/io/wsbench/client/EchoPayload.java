package io.wsbench.client;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * The messages one connection sends, and the check of every echo against them.
 *
 * <p>A message is a sequence field followed by a per-connection template: binary messages carry the
 * sequence number as 8 big-endian bytes, text messages as 16 lowercase hex digits, so a lost or
 * reordered echo is caught as well as a corrupted one. Messages too short for the field carry the
 * template only. Text templates are valid UTF-8 of exactly the asked byte length, mostly ASCII with
 * some two-byte characters so the servers' UTF-8 validation does real work. The template is fixed
 * per connection, so building a message allocates nothing but its buffer and checking an echo
 * compares bytes without decoding them.
 *
 * <p>A server that transforms what it echoes by putting fixed text in front (e.g. {@code "Echo: "})
 * is verified just as strictly: the expected echo is that prefix's UTF-8 bytes followed by the
 * message sent, for text and binary messages alike.
 */
public final class EchoPayload {
    private static final int BINARY_SEQUENCE_BYTES = 8;
    private static final int TEXT_SEQUENCE_BYTES = 16;
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ASCII =
            "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,-".getBytes(StandardCharsets.US_ASCII);

    private final MessageType type;
    private final int size;
    private final int sequenceBytes;
    private final byte[] templateBytes;
    private final byte[] echoPrefixBytes;
    private final ByteBuf template;
    private final ByteBuf echoPrefix;

    private EchoPayload(MessageType type, int size, byte[] template, byte[] echoPrefix) {
        this.type = type;
        this.size = size;
        int field = type == MessageType.TEXT ? TEXT_SEQUENCE_BYTES : BINARY_SEQUENCE_BYTES;
        this.sequenceBytes = size >= field ? field : 0;
        this.templateBytes = template;
        this.echoPrefixBytes = echoPrefix;
        this.template = Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(template).asReadOnly());
        this.echoPrefix = Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(echoPrefix).asReadOnly());
    }

    /** Messages of {@code size} bytes, echoed unchanged; {@code seed} varies the template between connections. */
    public static EchoPayload create(MessageType type, int size, long seed) {
        return create(type, size, seed, new byte[0]);
    }

    /** Messages of {@code size} bytes whose echo is {@code echoPrefix} followed by the message. */
    public static EchoPayload create(MessageType type, int size, long seed, byte[] echoPrefix) {
        if (size < 0) {
            throw new IllegalArgumentException("payload size must not be negative, was " + size);
        }
        SplittableRandom random = new SplittableRandom(seed);
        byte[] bytes = new byte[size];
        if (type == MessageType.BINARY) {
            random.nextBytes(bytes);
        } else {
            int i = 0;
            while (i < size) {
                // The sequence field overwrites the first bytes: keep them ASCII so no character is cut.
                if (i >= TEXT_SEQUENCE_BYTES && size - i >= 2 && random.nextInt(8) == 0) {
                    int c = 0xE0 + random.nextInt(0x20); // 'à'..'ÿ': two bytes in UTF-8
                    bytes[i++] = (byte) (0xC0 | (c >> 6));
                    bytes[i++] = (byte) (0x80 | (c & 0x3F));
                } else {
                    bytes[i++] = ASCII[random.nextInt(ASCII.length)];
                }
            }
        }
        return new EchoPayload(type, size, bytes, echoPrefix.clone());
    }

    public MessageType type() {
        return type;
    }

    /** Bytes of each message sent. */
    public int size() {
        return size;
    }

    /** Bytes of each echo expected: the echo prefix plus the message. */
    public int echoSize() {
        return echoPrefix.readableBytes() + size;
    }

    /** Writes message {@code sequence} into a new buffer, after {@code headroom} bytes left for a caller's header. */
    ByteBuf encode(ByteBufAllocator alloc, long sequence, int headroom) {
        ByteBuf buf = alloc.buffer(headroom + size);
        buf.writerIndex(headroom);
        writeSequence(buf, sequence);
        buf.writeBytes(template, sequenceBytes, size - sequenceBytes);
        return buf;
    }

    /** The message with sequence 0, to copy once into a reusable buffer; {@link #writeSequence(byte[], int, long)} then makes each next one. */
    byte[] templateCopy() {
        return templateBytes.clone();
    }

    /** Overwrites the sequence field of a message (a copy of {@link #templateCopy()}) at {@code offset} in {@code message}. */
    void writeSequence(byte[] message, int offset, long sequence) {
        if (sequenceBytes == BINARY_SEQUENCE_BYTES) {
            for (int i = 0; i < BINARY_SEQUENCE_BYTES; i++) {
                message[offset + i] = (byte) (sequence >>> (56 - 8 * i));
            }
        } else if (sequenceBytes == TEXT_SEQUENCE_BYTES) {
            for (int i = 0; i < TEXT_SEQUENCE_BYTES; i++) {
                message[offset + i] = HEX[(int) (sequence >>> (60 - 4 * i)) & 0xF];
            }
        }
    }

    /** Bytes at the start of each message that change from message to message: the sequence field. */
    int sequenceBytes() {
        return sequenceBytes;
    }

    private void writeSequence(ByteBuf buf, long sequence) {
        if (sequenceBytes == BINARY_SEQUENCE_BYTES) {
            buf.writeLong(sequence);
        } else if (sequenceBytes == TEXT_SEQUENCE_BYTES) {
            for (int shift = 60; shift >= 0; shift -= 4) {
                buf.writeByte(HEX[(int) (sequence >>> shift) & 0xF]);
            }
        }
    }

    /**
     * Checks one echo.
     *
     * @param expectedSequence the oldest message still waiting for its echo
     * @param inFlight how many messages are waiting, to tell a reordering from a corruption
     * @return null when the echo is the echo prefix followed by exactly message {@code expectedSequence},
     *     otherwise what is wrong
     */
    String verify(ByteBuf echo, long expectedSequence, int inFlight) {
        int length = echo.readableBytes();
        int prefixBytes = echoPrefix.readableBytes();
        if (length != prefixBytes + size) {
            return "echo of message #" + expectedSequence + " has " + length + " bytes, expected " + expectedLength(length);
        }
        int prefixStart = echo.readerIndex();
        if (!sameBytes(echo, prefixStart, echoPrefixBytes, 0, prefixBytes)) {
            return "echo of message #" + expectedSequence + " does not start with the echoPrefix '" + prefixText()
                    + "': it starts with '" + echo.toString(prefixStart, prefixBytes, StandardCharsets.UTF_8) + "'";
        }
        int start = prefixStart + prefixBytes;
        if (sequenceBytes > 0) {
            long got = readSequence(echo, start);
            if (got != expectedSequence) {
                if (got > expectedSequence && got < expectedSequence + inFlight) {
                    return "echoes out of order: expected message #" + expectedSequence + " next, got #" + got;
                }
                if (got >= 0 && got < expectedSequence) {
                    // With one message in flight (the round trip) this is the only reordering there can be.
                    return "echoes out of order: expected message #" + expectedSequence + ", got #" + got
                            + ", which was already echoed: a stale or duplicated echo (or a damaged sequence field)";
                }
                return "corrupted echo of message #" + expectedSequence + ": its sequence field is damaged";
            }
        }
        if (!sameBytes(echo, start + sequenceBytes, templateBytes, sequenceBytes, size - sequenceBytes)) {
            for (int i = sequenceBytes; i < size; i++) {
                if (echo.getByte(start + i) != template.getByte(i)) {
                    return String.format("corrupted echo of message #%d: byte %d is 0x%02x, expected 0x%02x",
                            expectedSequence, i, echo.getByte(start + i) & 0xFF, template.getByte(i) & 0xFF);
                }
            }
        }
        return null;
    }

    /**
     * Whether {@code length} bytes of {@code buf} from {@code index} equal {@code expected} from {@code offset}: one
     * {@link ByteBuffer#mismatch} over NIO views, which the JDK vectorises for heap and direct memory alike, instead of
     * a getter call per {@code long}.
     */
    private static boolean sameBytes(ByteBuf buf, int index, byte[] expected, int offset, int length) {
        if (length == 0) {
            return true;
        }
        ByteBuffer actual = buf.nioBufferCount() == 1 ? buf.nioBuffer(index, length) : ByteBuffer.wrap(ByteBufUtil.getBytes(buf, index, length));
        return actual.mismatch(ByteBuffer.wrap(expected, offset, length)) < 0;
    }

    /** The expected length, explained: the likely cause of a mismatch is the echo prefix setting. */
    private String expectedLength(int actual) {
        int prefixBytes = echoPrefix.readableBytes();
        if (prefixBytes > 0) {
            return (prefixBytes + size) + " (the " + prefixBytes + "-byte echoPrefix '" + prefixText() + "' + " + size
                    + "); does the server add exactly that text to every echo?";
        }
        if (actual > size) {
            return size + "; if the server adds fixed text in front of every echo, set it as echoPrefix (e.g. -p echoPrefix='Echo: ')";
        }
        return String.valueOf(size);
    }

    private String prefixText() {
        return echoPrefix.toString(StandardCharsets.UTF_8);
    }

    /** The sequence field, or -1 when it is not a well-formed one. */
    private long readSequence(ByteBuf echo, int start) {
        if (sequenceBytes == BINARY_SEQUENCE_BYTES) {
            return echo.getLong(start);
        }
        long value = 0;
        for (int i = 0; i < TEXT_SEQUENCE_BYTES; i++) {
            int digit = Character.digit(echo.getByte(start + i), 16);
            if (digit < 0) {
                return -1;
            }
            value = (value << 4) | digit;
        }
        return value;
    }
}
