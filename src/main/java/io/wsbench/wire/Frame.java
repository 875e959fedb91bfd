package io.wsbench.wire;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * One WebSocket frame with every header bit under the caller's control, so that malformed frames
 * can be written on purpose. The payload is held unmasked; {@code masked} says whether it is (or
 * was, for a parsed frame) masked on the wire, with a fresh random key per frame when written.
 *
 * @param fin            the FIN bit: last fragment of a message
 * @param rsv            RSV1..RSV3 as a 3-bit number: 4 = RSV1, 2 = RSV2, 1 = RSV3
 * @param opcode         4-bit opcode, reserved values allowed (see {@link Opcode})
 * @param masked         the MASK bit; clients must set it (§5.1)
 * @param payload        the application data, unmasked
 * @param lengthEncoding how the payload length is written
 */
public record Frame(boolean fin, int rsv, int opcode, boolean masked, byte[] payload, LengthEncoding lengthEncoding) {

    private static final int TRANSCRIPT_PREVIEW_BYTES = 24;

    public Frame {
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(lengthEncoding, "lengthEncoding");
        if (rsv < 0 || rsv > 7) {
            throw new IllegalArgumentException("rsv is 3 bits (0..7), was " + rsv);
        }
        if (opcode < 0 || opcode > 0xF) {
            throw new IllegalArgumentException("opcode is 4 bits (0..15), was " + opcode);
        }
        lengthEncoding.resolve(payload.length);
        payload = payload.clone();
    }

    /** A final, masked frame with no RSV bits and the shortest length encoding: what a correct client sends. */
    public static Frame of(int opcode, byte[] payload) {
        return new Frame(true, 0, opcode, true, payload, LengthEncoding.MINIMAL);
    }

    public static Frame text(String text) {
        return of(Opcode.TEXT, text.getBytes(StandardCharsets.UTF_8));
    }

    public static Frame binary(byte[] data) {
        return of(Opcode.BINARY, data);
    }

    public static Frame ping(byte[] data) {
        return of(Opcode.PING, data);
    }

    public static Frame pong(byte[] data) {
        return of(Opcode.PONG, data);
    }

    public static Frame continuation(byte[] data) {
        return of(Opcode.CONTINUATION, data);
    }

    /** A close frame whose body is the 2-byte status code followed by {@code reason} (§5.5.1). */
    public static Frame close(int code, byte[] reason) {
        if (code < 0 || code > 0xFFFF) {
            throw new IllegalArgumentException("a close code is 16 bits (0..65535), was " + code);
        }
        return of(Opcode.CLOSE, ByteBuffer.allocate(2 + reason.length).putShort((short) code).put(reason).array());
    }

    public static Frame close(int code) {
        return close(code, new byte[0]);
    }

    public Frame withFin(boolean newFin) {
        return new Frame(newFin, rsv, opcode, masked, payload, lengthEncoding);
    }

    public Frame withRsv(int newRsv) {
        return new Frame(fin, newRsv, opcode, masked, payload, lengthEncoding);
    }

    public Frame withMasked(boolean newMasked) {
        return new Frame(fin, rsv, opcode, newMasked, payload, lengthEncoding);
    }

    public Frame withLengthEncoding(LengthEncoding encoding) {
        return new Frame(fin, rsv, opcode, masked, payload, encoding);
    }

    @Override
    public byte[] payload() {
        return payload.clone();
    }

    public int payloadLength() {
        return payload.length;
    }

    public boolean isControl() {
        return Opcode.isControl(opcode);
    }

    /** The status code of a close frame with a body of at least 2 bytes, else -1. */
    public int closeCode() {
        if (opcode != Opcode.CLOSE || payload.length < 2) {
            return -1;
        }
        return ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
    }

    /** The reason of a close frame, decoded leniently (invalid UTF-8 shown as U+FFFD). */
    public String closeReason() {
        if (opcode != Opcode.CLOSE || payload.length <= 2) {
            return "";
        }
        return new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8);
    }

    /** A one-line description for transcripts, e.g. {@code text fin len=5 "hello"}. */
    public String describe() {
        StringBuilder sb = new StringBuilder(Opcode.name(opcode));
        sb.append(fin ? " fin" : " nofin");
        if (rsv != 0) {
            sb.append(" rsv=").append(rsv);
        }
        if (masked) {
            sb.append(" masked");
        }
        sb.append(" len=").append(payload.length);
        if (opcode == Opcode.CLOSE && payload.length >= 2) {
            sb.append(" code=").append(closeCode());
        } else if (payload.length > 0) {
            sb.append(' ').append(preview());
        }
        return sb.toString();
    }

    /** Short printable payload: quoted text when it is printable UTF-8, hex otherwise. */
    private String preview() {
        byte[] head = Arrays.copyOf(payload, Math.min(payload.length, TRANSCRIPT_PREVIEW_BYTES));
        String ellipsis = payload.length > head.length ? "…" : "";
        String text = printableUtf8(head);
        return text != null ? '"' + text + ellipsis + '"' : "0x" + HexFormat.of().formatHex(head) + ellipsis;
    }

    /** The bytes as a string if they are valid UTF-8 without control characters, else null. */
    private static String printableUtf8(byte[] bytes) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException notUtf8) {
            return null;
        }
        return text.codePoints().allMatch(c -> c >= 0x20 && c != 0x7F) ? text : null;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Frame f && fin == f.fin && rsv == f.rsv && opcode == f.opcode && masked == f.masked
                && lengthEncoding == f.lengthEncoding && Arrays.equals(payload, f.payload);
    }

    @Override
    public int hashCode() {
        return Objects.hash(fin, rsv, opcode, masked, lengthEncoding, Arrays.hashCode(payload));
    }

    @Override
    public String toString() {
        return describe();
    }
}
