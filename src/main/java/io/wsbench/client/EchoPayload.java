package io.wsbench.client;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The messages one connection sends, and the check of every echo against them.
 *
 * <p>A message is a sequence field followed by a per-connection template: binary messages carry the
 * sequence number as 8 big-endian bytes, text messages as 16 lowercase hex digits, so a lost or
 * reordered echo is caught as well as a corrupted one. Messages too short for the field carry the
 * template only. Text templates are valid UTF-8 of exactly the asked byte length, mostly ASCII with
 * some two-byte characters so the servers' UTF-8 validation does real work. The template is fixed
 * per connection, so building a message allocates nothing but its buffer and checking an echo
 * compares bytes without decoding them. For compression, where a repeated template would cost nothing, the
 * content can instead change from message to message ({@link PayloadContent}), taken from a pool just as cheaply.
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
    /** How many places a message can start at in the template (1 for a fixed one), and where message 0 starts. */
    private final int offsets;
    private final long firstOffset;

    private EchoPayload(MessageType type, int size, byte[] template, byte[] echoPrefix, long firstOffset) {
        this.type = type;
        this.size = size;
        int field = type == MessageType.TEXT ? TEXT_SEQUENCE_BYTES : BINARY_SEQUENCE_BYTES;
        this.sequenceBytes = size >= field ? field : 0;
        this.templateBytes = template;
        this.echoPrefixBytes = echoPrefix;
        this.template = Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(template).asReadOnly());
        this.echoPrefix = Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(echoPrefix).asReadOnly());
        this.offsets = template.length - size + 1;
        this.firstOffset = firstOffset;
    }

    /**
     * Refuses a benchmark payload too small to carry the sequence field, whose echo could then be checked for its
     * bytes but not for loss or order.
     *
     * @throws IllegalArgumentException naming the smallest payload for {@code type}
     */
    public static void requireSequenceFits(MessageType type, int payloadBytes) {
        int field = type == MessageType.TEXT ? TEXT_SEQUENCE_BYTES : BINARY_SEQUENCE_BYTES;
        if (payloadBytes < field) {
            throw new IllegalArgumentException("payloadBytes=" + payloadBytes + " is too small for type="
                    + type.name().toLowerCase(java.util.Locale.ROOT) + ": every message carries its sequence number ("
                    + field + " bytes) so that a lost or reordered echo is caught; use payloadBytes >= " + field
                    + " (binary needs " + BINARY_SEQUENCE_BYTES + ", text " + TEXT_SEQUENCE_BYTES + ")");
        }
    }

    /** Messages of {@code size} bytes, echoed unchanged; {@code seed} varies the template between connections. */
    public static EchoPayload create(MessageType type, int size, long seed) {
        return create(type, size, seed, new byte[0]);
    }

    /** Messages of {@code size} bytes, one template per connection, whose echo is {@code echoPrefix} followed by the message. */
    public static EchoPayload create(MessageType type, int size, long seed, byte[] echoPrefix) {
        return create(type, size, seed, echoPrefix, PayloadContent.FIXED);
    }

    /**
     * Messages of {@code size} bytes of {@code content} whose echo is {@code echoPrefix} followed by the message. Content
     * that {@linkplain PayloadContent#varies() varies} takes each message from the next stretch of a pool of {@value
     * #POOL_BYTES} bytes shared by the JVM's connections (each starting elsewhere in it): content comes back only after
     * the whole pool, far beyond deflate's 32 KiB window, and building and checking a message still copies and
     * compares bytes without generating any.
     */
    public static EchoPayload create(MessageType type, int size, long seed, byte[] echoPrefix, PayloadContent content) {
        if (size < 0) {
            throw new IllegalArgumentException("payload size must not be negative, was " + size);
        }
        SplittableRandom random = new SplittableRandom(seed);
        if (content.varies()) {
            byte[] pool = pool(type, content, size);
            return new EchoPayload(type, size, pool, echoPrefix.clone(), random.nextLong(pool.length - size + 1));
        }
        byte[] bytes;
        if (type == MessageType.BINARY) {
            bytes = new byte[size];
            random.nextBytes(bytes);
        } else {
            bytes = randomText(size, random);
        }
        return new EchoPayload(type, size, bytes, echoPrefix.clone(), 0);
    }

    private static final int POOL_BYTES = 1 << 20;
    private static final Map<String, byte[]> POOLS = new ConcurrentHashMap<>();

    /** The JVM's pool for this content: random bytes for binary, else ASCII only, so any stretch is valid UTF-8. */
    private static byte[] pool(MessageType type, PayloadContent content, int size) {
        int length = Math.max(POOL_BYTES, size);
        String key = type + "/" + content + "/" + length;
        return POOLS.computeIfAbsent(key, k -> {
            SplittableRandom random = new SplittableRandom(length);
            if (content == PayloadContent.JSON) {
                return jsonRecords(length, random);
            }
            byte[] bytes = new byte[length];
            if (type == MessageType.BINARY) {
                random.nextBytes(bytes);
            } else {
                for (int i = 0; i < length; i++) {
                    bytes[i] = ASCII[random.nextInt(ASCII.length)];
                }
            }
            return bytes;
        });
    }

    /** Where in the template message {@code sequence}'s bytes start: 0 for a fixed template, the next stretch of a pool. */
    private int offset(long sequence) {
        return offsets == 1 ? 0 : (int) Math.floorMod(firstOffset + sequence * size, (long) offsets);
    }

    /** {@code size} bytes of valid UTF-8, mostly ASCII with some two-byte characters. */
    private static byte[] randomText(int size, SplittableRandom random) {
        byte[] bytes = new byte[size];
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
        return bytes;
    }

    /** {@code size} bytes of chat-like JSON records, the same field names over and over, small varying numbers. */
    private static byte[] jsonRecords(int size, SplittableRandom random) {
        StringBuilder json = new StringBuilder(size + 128);
        while (json.length() < size) {
            json.append("{\"room\":\"general\",\"user\":\"user-").append(random.nextInt(100))
                    .append("\",\"kind\":\"message\",\"price\":").append(100 + random.nextInt(10)).append('.')
                    .append(random.nextInt(100)).append(",\"text\":\"hello from the dashboard\"},");
        }
        return json.substring(0, size).getBytes(StandardCharsets.US_ASCII);
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
        buf.writeBytes(template, offset(sequence) + sequenceBytes, size - sequenceBytes);
        return buf;
    }

    /** The message with sequence 0, to copy once into a reusable buffer; {@link #writeSequence(byte[], int, long)} then makes each next one. */
    byte[] templateCopy() {
        if (offsets != 1) {
            throw new IllegalStateException("a reusable message buffer needs fixed content, not a pool");
        }
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
        int offset = offset(expectedSequence);
        if (!sameBytes(echo, start + sequenceBytes, templateBytes, offset + sequenceBytes, size - sequenceBytes)) {
            for (int i = sequenceBytes; i < size; i++) {
                if (echo.getByte(start + i) != template.getByte(offset + i)) {
                    return String.format("corrupted echo of message #%d: byte %d is 0x%02x, expected 0x%02x",
                            expectedSequence, i, echo.getByte(start + i) & 0xFF, template.getByte(offset + i) & 0xFF);
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

    /** The sequence field of a message (from its reader index), or -1 when it has none or a damaged one. */
    long sequenceOf(ByteBuf message) {
        return sequenceBytes == 0 || message.readableBytes() < sequenceBytes ? -1 : readSequence(message, message.readerIndex());
    }

    /** The sequence field, or -1 when it is not a well-formed one. */
    private long readSequence(ByteBuf echo, int start) {
        if (sequenceBytes == BINARY_SEQUENCE_BYTES) {
            return echo.getLong(start);
        }
        long value = 0;
        for (int i = 0; i < TEXT_SEQUENCE_BYTES; i++) {
            int digit = lowerHexDigit(echo.getByte(start + i));
            if (digit < 0) {
                return -1;
            }
            value = (value << 4) | digit;
        }
        return value;
    }

    /**
     * The value of a digit as the client writes it (0-9, a-f), or -1 for any other byte: an upper-case digit in an echo
     * is a changed byte, so with 16 fixed digits a matching value means the field's bytes are exactly the ones sent.
     */
    static int lowerHexDigit(byte b) {
        if (b >= '0' && b <= '9') {
            return b - '0';
        }
        return b >= 'a' && b <= 'f' ? b - 'a' + 10 : -1;
    }
}
