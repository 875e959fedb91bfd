package io.wsbench.wire;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.Random;

/**
 * Writes and parses RFC 6455 §5.2 frames byte for byte. Writing honours every field of
 * {@link Frame}, including ones a correct endpoint would never send; parsing accepts whatever
 * header bits arrive and reports them, so that the caller can judge them.
 */
public final class FrameCodec {

    private static final int FIN_BIT = 0x80;
    private static final int MASK_BIT = 0x80;
    private static final int SIXTEEN_BIT_MARKER = 126;
    private static final int SIXTY_FOUR_BIT_MARKER = 127;

    private final Random maskingKeys;

    /** Masking keys from a {@link SecureRandom}, as §5.3 asks of clients. */
    public FrameCodec() {
        this(new SecureRandom());
    }

    /** Masking keys from the given source; tests pass a seeded one to get known keys. */
    public FrameCodec(Random maskingKeys) {
        this.maskingKeys = maskingKeys;
    }

    /** The frame as it goes on the wire, masked with a fresh random key if {@code frame.masked()}. */
    public byte[] encode(Frame frame) {
        byte[] key = new byte[4];
        if (frame.masked()) {
            maskingKeys.nextBytes(key);
        }
        return encode(frame, key);
    }

    /** The frame as it goes on the wire, masked with {@code maskingKey} (4 bytes) if {@code frame.masked()}. */
    public static byte[] encode(Frame frame, byte[] maskingKey) {
        if (maskingKey.length != 4) {
            throw new IllegalArgumentException("a masking key is 4 bytes, was " + maskingKey.length);
        }
        byte[] payload = frame.payload();
        LengthEncoding encoding = frame.lengthEncoding().resolve(payload.length);
        int lengthBytes = switch (encoding) {
            case SEVEN_BIT -> 0;
            case SIXTEEN_BIT -> 2;
            case SIXTY_FOUR_BIT -> 8;
            case MINIMAL -> throw new IllegalStateException("MINIMAL is resolved above");
        };
        ByteBuffer out = ByteBuffer.allocate(2 + lengthBytes + (frame.masked() ? 4 : 0) + payload.length);
        out.put((byte) ((frame.fin() ? FIN_BIT : 0) | frame.rsv() << 4 | frame.opcode()));
        int maskBit = frame.masked() ? MASK_BIT : 0;
        switch (encoding) {
            case SEVEN_BIT -> out.put((byte) (maskBit | payload.length));
            case SIXTEEN_BIT -> out.put((byte) (maskBit | SIXTEEN_BIT_MARKER)).putShort((short) payload.length);
            default -> out.put((byte) (maskBit | SIXTY_FOUR_BIT_MARKER)).putLong(payload.length);
        }
        if (frame.masked()) {
            out.put(maskingKey);
            applyMask(payload, maskingKey);
        }
        out.put(payload);
        return out.array();
    }

    /**
     * Reads one frame, unmasking its payload if it was masked.
     *
     * @param maxPayloadBytes a larger declared length is reported instead of allocated
     * @throws EOFException            the stream ended, before the frame or inside it
     * @throws MalformedFrameException the length field is invalid or over {@code maxPayloadBytes}, or the
     *                                 frame stopped arriving part-way
     * @throws java.net.SocketTimeoutException no byte of a new frame arrived in time; the stream is intact
     * @throws IOException             the read failed (for example the connection was reset)
     */
    public static Frame decode(InputStream in, int maxPayloadBytes) throws IOException {
        // A timeout here leaves the stream intact, so the caller may read again.
        int first = in.read();
        if (first < 0) {
            throw new EOFException("stream ended between frames");
        }
        try {
            return decodeRest(first, in, maxPayloadBytes);
        } catch (SocketTimeoutException e) {
            // Part of the frame is consumed, so the stream can't be resumed: report the stall itself.
            throw new MalformedFrameException(Opcode.name(first & 0xF)
                    + " frame stalled part-way: no further bytes within the read timeout");
        }
    }

    private static Frame decodeRest(int first, InputStream in, int maxPayloadBytes) throws IOException {
        int second = readByte(in);
        boolean fin = (first & FIN_BIT) != 0;
        int rsv = (first >> 4) & 0x7;
        int opcode = first & 0xF;
        boolean masked = (second & MASK_BIT) != 0;
        int lengthField = second & 0x7F;
        long length;
        LengthEncoding encoding;
        if (lengthField == SIXTEEN_BIT_MARKER) {
            length = ByteBuffer.wrap(readFully(in, 2)).getShort() & 0xFFFF;
            encoding = LengthEncoding.SIXTEEN_BIT;
        } else if (lengthField == SIXTY_FOUR_BIT_MARKER) {
            length = ByteBuffer.wrap(readFully(in, 8)).getLong();
            encoding = LengthEncoding.SIXTY_FOUR_BIT;
            if (length < 0) {
                throw new MalformedFrameException("64-bit payload length has its most significant bit set (§5.2)");
            }
        } else {
            length = lengthField;
            encoding = LengthEncoding.SEVEN_BIT;
        }
        if (length > maxPayloadBytes) {
            throw new MalformedFrameException(Opcode.name(opcode) + " frame declares " + length
                    + " payload bytes, over the reader's limit of " + maxPayloadBytes);
        }
        byte[] key = masked ? readFully(in, 4) : null;
        byte[] payload = readFully(in, (int) length);
        if (key != null) {
            applyMask(payload, key);
        }
        return new Frame(fin, rsv, opcode, masked, payload, encoding);
    }

    /** XORs {@code data} in place with the 4-byte key (§5.3); masking and unmasking are the same. */
    static void applyMask(byte[] data, byte[] key) {
        for (int i = 0; i < data.length; i++) {
            data[i] ^= key[i & 3];
        }
    }

    private static int readByte(InputStream in) throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new EOFException("stream ended inside a frame header");
        }
        return b;
    }

    private static byte[] readFully(InputStream in, int n) throws IOException {
        byte[] bytes = in.readNBytes(n);
        if (bytes.length < n) {
            throw new EOFException("stream ended inside a frame after " + bytes.length + " of " + n + " bytes");
        }
        return bytes;
    }
}
