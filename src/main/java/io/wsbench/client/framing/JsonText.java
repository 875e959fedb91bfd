package io.wsbench.client.framing;

import io.netty.buffer.ByteBuf;

/**
 * JSON string literals, byte for byte, between UTF-8 text and the JSON that carries it: exact both ways, so an
 * echo is compared with the message sent after the JSON layer is taken off, not after a lenient decoding.
 *
 * <p>Writing escapes only what JSON requires ({@code "}, {@code \}, control characters below U+0020) and copies
 * every other byte, UTF-8 sequences included, as it is. Reading accepts any valid literal: every escape of RFC
 * 8259, {@code \}{@code uXXXX} written as UTF-8 (surrogate pairs as one 4-byte character), raw UTF-8 copied.
 */
final class JsonText {
    private static final byte[] HEX = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    /** A JSON literal that is not well-formed; the message says where and why. */
    static final class MalformedJsonException extends Exception {
        MalformedJsonException(String message) {
            super(message);
        }
    }

    private JsonText() {
    }

    /** Writes {@code "text"}, escaped, to {@code out}; {@code text} is read from its reader index to its writer index, not consumed. */
    static void writeString(ByteBuf text, ByteBuf out) {
        out.writeByte('"');
        for (int i = text.readerIndex(), end = text.writerIndex(); i < end; i++) {
            int b = text.getByte(i) & 0xFF;
            switch (b) {
                case '"' -> out.writeByte('\\').writeByte('"');
                case '\\' -> out.writeByte('\\').writeByte('\\');
                case '\n' -> out.writeByte('\\').writeByte('n');
                case '\r' -> out.writeByte('\\').writeByte('r');
                case '\t' -> out.writeByte('\\').writeByte('t');
                case '\b' -> out.writeByte('\\').writeByte('b');
                case '\f' -> out.writeByte('\\').writeByte('f');
                default -> {
                    if (b < 0x20) {
                        out.writeByte('\\').writeByte('u').writeByte('0').writeByte('0').writeByte(HEX[b >> 4]).writeByte(HEX[b & 0xF]);
                    } else {
                        out.writeByte(b);
                    }
                }
            }
        }
        out.writeByte('"');
    }

    /**
     * Reads the string literal whose opening quote is at {@code start} in {@code in}, writing the UTF-8 bytes of its
     * value to {@code out}.
     *
     * @return the index just after the closing quote
     */
    static int readString(ByteBuf in, int start, ByteBuf out) throws MalformedJsonException {
        int end = in.writerIndex();
        if (start >= end || in.getByte(start) != '"') {
            throw new MalformedJsonException("expected a string at offset " + start);
        }
        int i = start + 1;
        while (i < end) {
            int b = in.getByte(i) & 0xFF;
            if (b == '"') {
                return i + 1;
            }
            if (b < 0x20) {
                throw new MalformedJsonException(String.format("raw control character 0x%02x inside a string at offset %d", b, i));
            }
            if (b != '\\') {
                out.writeByte(b);
                i++;
                continue;
            }
            if (i + 1 >= end) {
                break;
            }
            int escape = in.getByte(i + 1);
            switch (escape) {
                case '"', '\\', '/' -> out.writeByte(escape);
                case 'n' -> out.writeByte('\n');
                case 'r' -> out.writeByte('\r');
                case 't' -> out.writeByte('\t');
                case 'b' -> out.writeByte('\b');
                case 'f' -> out.writeByte('\f');
                case 'u' -> {
                    int unit = hex4(in, i + 2, end);
                    i += 6;
                    int codePoint = unit;
                    if (Character.isHighSurrogate((char) unit)) {
                        if (i + 1 >= end || in.getByte(i) != '\\' || in.getByte(i + 1) != 'u') {
                            throw new MalformedJsonException("high surrogate \\u" + Integer.toHexString(unit)
                                    + " without its low surrogate at offset " + (i - 6));
                        }
                        int low = hex4(in, i + 2, end);
                        if (!Character.isLowSurrogate((char) low)) {
                            throw new MalformedJsonException("high surrogate \\u" + Integer.toHexString(unit)
                                    + " followed by \\u" + Integer.toHexString(low) + " at offset " + (i - 6));
                        }
                        codePoint = Character.toCodePoint((char) unit, (char) low);
                        i += 6;
                    } else if (Character.isLowSurrogate((char) unit)) {
                        throw new MalformedJsonException("lone low surrogate \\u" + Integer.toHexString(unit) + " at offset " + (i - 6));
                    }
                    writeUtf8(codePoint, out);
                    continue;
                }
                default -> throw new MalformedJsonException("unknown escape \\" + (char) escape + " at offset " + i);
            }
            i += 2;
        }
        throw new MalformedJsonException("string starting at offset " + start + " has no closing quote");
    }

    /** The index of the first byte at or after {@code i} that is not JSON whitespace. */
    static int skipWhitespace(ByteBuf in, int i) {
        int end = in.writerIndex();
        while (i < end) {
            byte b = in.getByte(i);
            if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
                break;
            }
            i++;
        }
        return i;
    }

    private static int hex4(ByteBuf in, int at, int end) throws MalformedJsonException {
        if (at + 4 > end) {
            throw new MalformedJsonException("truncated \\u escape at offset " + (at - 2));
        }
        int value = 0;
        for (int k = 0; k < 4; k++) {
            int digit = Character.digit(in.getByte(at + k), 16);
            if (digit < 0) {
                throw new MalformedJsonException("bad hex digit in \\u escape at offset " + (at + k));
            }
            value = (value << 4) | digit;
        }
        return value;
    }

    private static void writeUtf8(int codePoint, ByteBuf out) {
        if (codePoint < 0x80) {
            out.writeByte(codePoint);
        } else if (codePoint < 0x800) {
            out.writeByte(0xC0 | (codePoint >> 6)).writeByte(0x80 | (codePoint & 0x3F));
        } else if (codePoint < 0x10000) {
            out.writeByte(0xE0 | (codePoint >> 12)).writeByte(0x80 | ((codePoint >> 6) & 0x3F)).writeByte(0x80 | (codePoint & 0x3F));
        } else {
            out.writeByte(0xF0 | (codePoint >> 18)).writeByte(0x80 | ((codePoint >> 12) & 0x3F))
                    .writeByte(0x80 | ((codePoint >> 6) & 0x3F)).writeByte(0x80 | (codePoint & 0x3F));
        }
    }
}
