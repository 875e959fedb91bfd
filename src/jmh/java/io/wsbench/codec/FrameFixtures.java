package io.wsbench.codec;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.Deflater;

/**
 * Messages and their RFC 6455 wire form, built once per trial so that every library's codec gets
 * the same input and the JIT never sees one constant message.
 *
 * <p>Text is random UTF-8 of exactly the requested byte length, mixing 1- to 4-byte code points so
 * that validation takes every branch; fragment boundaries fall on byte offsets and may split a code
 * point, which a validator has to carry across frames. Binary is random bytes. Content is seeded,
 * so every fork sees the same messages.
 */
final class FrameFixtures {

    /** Distinct messages each benchmark cycles through. */
    static final int MESSAGES = 8;

    static final int OPCODE_CONTINUATION = 0x0;
    static final int OPCODE_TEXT = 0x1;
    static final int OPCODE_BINARY = 0x2;

    private static final long SEED = 0x5EED_F4A3EL;
    private static final byte[] DEFLATE_TAIL = {0x00, 0x00, (byte) 0xFF, (byte) 0xFF};

    private FrameFixtures() {
    }

    /**
     * One message as an application sends it and as a peer puts it on the wire.
     *
     * @param payload       the message's bytes (UTF-8 for text)
     * @param text          the message as a String, or null for binary
     * @param fragmentEnds  end offset in {@code payload} of each frame's part (last one is payload.length)
     * @param textFragments for text, the String split near the same boundaries (whole code points),
     *                      for APIs that fragment Strings; null for binary
     * @param maskKeys      one masking key per frame (used when masked)
     * @param wire          every frame of the message, header and (masked, possibly deflated) payload
     */
    record Message(byte[] payload, String text, int[] fragmentEnds, String[] textFragments, int[] maskKeys, byte[] wire) {

        boolean isText() {
            return text != null;
        }

        int frames() {
            return fragmentEnds.length;
        }

        int fragmentStart(int frame) {
            return frame == 0 ? 0 : fragmentEnds[frame - 1];
        }

        int fragmentLength(int frame) {
            return fragmentEnds[frame] - fragmentStart(frame);
        }

        int opcode(int frame) {
            return frame > 0 ? OPCODE_CONTINUATION : isText() ? OPCODE_TEXT : OPCODE_BINARY;
        }

        boolean fin(int frame) {
            return frame == fragmentEnds.length - 1;
        }

        static byte[] maskBytes(int key) {
            return new byte[] {(byte) (key >>> 24), (byte) (key >>> 16), (byte) (key >>> 8), (byte) key};
        }
    }

    /** "text" or "binary", as the {@code type} parameter spells it. */
    static boolean isText(String type) {
        return switch (type) {
            case "text" -> true;
            case "binary" -> false;
            default -> throw new IllegalArgumentException("type must be 'text' or 'binary', was '" + type
                    + "'; pass -p type=text or -p type=binary");
        };
    }

    /**
     * Builds {@link #MESSAGES} messages.
     *
     * @param deflate compress each message (permessage-deflate, no context takeover) before framing;
     *                RSV1 is set on the first frame
     */
    static Message[] messages(int payloadBytes, String type, int fragments, boolean masked, boolean deflate) {
        boolean text = isText(type);
        if (payloadBytes < 1) {
            throw new IllegalArgumentException("payloadBytes must be at least 1, was " + payloadBytes);
        }
        if (fragments < 1 || fragments > payloadBytes) {
            throw new IllegalArgumentException("fragments must be between 1 and payloadBytes (" + payloadBytes
                    + "), was " + fragments + "; use -p fragments=1 for whole messages");
        }
        SplittableRandom random = new SplittableRandom(SEED + payloadBytes);
        Message[] messages = new Message[MESSAGES];
        for (int i = 0; i < MESSAGES; i++) {
            String string = text ? randomUtf8(random, payloadBytes) : null;
            byte[] payload = text ? string.getBytes(StandardCharsets.UTF_8) : randomBytes(random, payloadBytes);
            int[] maskKeys = random.ints(fragments).toArray();
            byte[] onWire = deflate ? deflate(payload) : payload;
            int[] wireEnds = evenSplit(onWire.length, Math.min(fragments, onWire.length));
            if (wireEnds.length != fragments) {
                throw new IllegalArgumentException("payload deflates to " + onWire.length + " bytes, too few for "
                        + fragments + " fragments; use fewer fragments or a larger payloadBytes");
            }
            messages[i] = new Message(payload, string, evenSplit(payload.length, fragments),
                    text ? splitString(string, fragments) : null, maskKeys,
                    wire(onWire, wireEnds, text, masked ? maskKeys : null, deflate));
        }
        return messages;
    }

    /** The frames of one message per RFC 6455 section 5.2. */
    private static byte[] wire(byte[] data, int[] ends, boolean text, int[] maskKeys, boolean deflate) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(data.length + ends.length * 14);
        for (int f = 0; f < ends.length; f++) {
            int start = f == 0 ? 0 : ends[f - 1];
            int length = ends[f] - start;
            boolean fin = f == ends.length - 1;
            int opcode = f > 0 ? OPCODE_CONTINUATION : text ? OPCODE_TEXT : OPCODE_BINARY;
            out.write((fin ? 0x80 : 0) | (deflate && f == 0 ? 0x40 : 0) | opcode);
            int maskBit = maskKeys != null ? 0x80 : 0;
            if (length <= 125) {
                out.write(maskBit | length);
            } else if (length <= 0xFFFF) {
                out.write(maskBit | 126);
                out.write(length >>> 8);
                out.write(length);
            } else {
                out.write(maskBit | 127);
                for (int shift = 56; shift >= 0; shift -= 8) {
                    out.write((int) ((long) length >>> shift));
                }
            }
            if (maskKeys == null) {
                out.write(data, start, length);
            } else {
                byte[] mask = Message.maskBytes(maskKeys[f]);
                out.write(mask, 0, 4);
                for (int i = 0; i < length; i++) {
                    out.write(data[start + i] ^ mask[i & 3]);
                }
            }
        }
        return out.toByteArray();
    }

    /** Raw DEFLATE with a sync flush and the trailing 00 00 FF FF removed, per RFC 7692 section 7.2.1. */
    private static byte[] deflate(byte[] payload) {
        Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        try {
            deflater.setInput(payload);
            ByteArrayOutputStream out = new ByteArrayOutputStream(payload.length + 64);
            byte[] chunk = new byte[8192];
            int n;
            do {
                n = deflater.deflate(chunk, 0, chunk.length, Deflater.SYNC_FLUSH);
                out.write(chunk, 0, n);
            } while (n == chunk.length);
            byte[] compressed = out.toByteArray();
            byte[] tail = Arrays.copyOfRange(compressed, compressed.length - 4, compressed.length);
            if (!Arrays.equals(tail, DEFLATE_TAIL)) {
                throw new IllegalStateException("sync-flushed DEFLATE output does not end in 00 00 FF FF");
            }
            return Arrays.copyOf(compressed, compressed.length - 4);
        } finally {
            deflater.end();
        }
    }

    static int[] evenSplit(int length, int parts) {
        int[] ends = new int[parts];
        for (int i = 0; i < parts; i++) {
            ends[i] = (int) ((long) length * (i + 1) / parts);
        }
        return ends;
    }

    /** Splits at char offsets near even shares, never inside a surrogate pair. */
    private static String[] splitString(String s, int parts) {
        List<String> pieces = new ArrayList<>(parts);
        int start = 0;
        for (int i = 1; i <= parts; i++) {
            int end = i == parts ? s.length() : (int) ((long) s.length() * i / parts);
            if (end > start && end < s.length() && Character.isLowSurrogate(s.charAt(end))) {
                end++;
            }
            pieces.add(s.substring(start, Math.max(start, end)));
            start = Math.max(start, end);
        }
        return pieces.toArray(String[]::new);
    }

    private static byte[] randomBytes(SplittableRandom random, int n) {
        byte[] bytes = new byte[n];
        random.nextBytes(bytes);
        return bytes;
    }

    /** Half ASCII, the rest 2-, 3- and 4-byte code points, exactly {@code bytes} long in UTF-8. */
    private static String randomUtf8(SplittableRandom random, int bytes) {
        StringBuilder s = new StringBuilder(bytes);
        int remaining = bytes;
        while (remaining > 0) {
            int width = random.nextInt(6) < 3 ? 1 : 2 + random.nextInt(3);
            if (width > remaining) {
                width = 1;
            }
            int codePoint = switch (width) {
                case 1 -> 0x20 + random.nextInt(0x5F);
                case 2 -> 0x80 + random.nextInt(0x800 - 0x80);
                case 3 -> {
                    int c = 0x800 + random.nextInt(0x10000 - 0x800 - 0x800);
                    yield c >= 0xD800 ? c + 0x800 : c; // skip the surrogate range D800-DFFF
                }
                default -> 0x10000 + random.nextInt(0x110000 - 0x10000);
            };
            s.appendCodePoint(codePoint);
            remaining -= width;
        }
        return s.toString();
    }

    /** Each message's size on the wire, all frames together. */
    static int[] wireSizes(Message[] messages) {
        int[] sizes = new int[messages.length];
        for (int i = 0; i < messages.length; i++) {
            sizes[i] = messages[i].wire().length;
        }
        return sizes;
    }
}
