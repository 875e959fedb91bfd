package io.wsbench.conformance;

import io.wsbench.wire.Frame;
import io.wsbench.wire.Opcode;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * The catalogue of cases, grouped like the Autobahn test suite's sections: positive controls,
 * masking, reserved bits, opcodes, control frames, fragmentation, UTF-8, close handshake, limits.
 *
 * <p>Requirement strengths follow RFC 6455's wording: "MUST fail" where the RFC says the receiver
 * MUST <em>Fail the WebSocket Connection</em>; where it only forbids the sender (for example
 * reserved close codes), the expectation is the protocol-error close that Autobahn expects, and
 * the {@code rfc} text says that the receiver's action is not spelled out.
 */
public final class ConformanceCases {

    static final int PROTOCOL_ERROR = 1002;
    static final int INVALID_PAYLOAD = 1007;
    static final int MESSAGE_TOO_BIG = 1009;
    static final int NORMAL = 1000;

    /** Fragments the over-limit message is split into, so that no single frame is itself over the limit. */
    static final int OVERSIZE_FRAGMENTS = 16;

    private static final String HELLO = "Hello, world!";
    /** "κόσμε" in UTF-8, the Autobahn suite's sample text. */
    private static final byte[] KOSME = HexFormat.of().parseHex("cebae1bdb9cf83cebcceb5");
    /** A UTF-16 surrogate (U+D800) encoded as UTF-8: invalid in UTF-8 (RFC 3629 §3). */
    private static final byte[] SURROGATE = {(byte) 0xED, (byte) 0xA0, (byte) 0x80};
    private static final byte[] EDITED = ascii("edited");

    private ConformanceCases() {
    }

    /** Every case, in report order, for a server configured with {@code maxMessageBytes}. */
    public static List<ConformanceCase> all(int maxMessageBytes) {
        if (maxMessageBytes < 1) {
            throw new IllegalArgumentException("maxMessageBytes must be positive, was " + maxMessageBytes);
        }
        List<ConformanceCase> cases = new ArrayList<>();
        positiveControls(cases, maxMessageBytes);
        masking(cases);
        reservedBits(cases);
        opcodes(cases);
        controlFrames(cases);
        fragmentation(cases);
        utf8(cases);
        closeFrames(cases);
        limits(cases, maxMessageBytes);
        return List.copyOf(cases);
    }

    private static void positiveControls(List<ConformanceCase> cases, int maxMessageBytes) {
        String category = "positive control";
        Frame text = Frame.text("Hello, conformance!");
        cases.add(reply("valid-text", category, "masked text frame \"Hello, conformance!\"",
                "§5.3 masked client frame, §5.6 text: a valid message, echoed", List.of(text), List.of(text)));

        byte[] medium = pattern(300);
        cases.add(reply("valid-binary-16bit-length", category, "300-byte binary frame (126 + 16-bit length)",
                "§5.2 16-bit extended payload length", List.of(Frame.binary(medium)), List.of(Frame.binary(medium))));

        int large = 70_000;
        if (large <= maxMessageBytes) {
            byte[] big = pattern(large);
            cases.add(reply("valid-binary-64bit-length", category, large + "-byte binary frame (127 + 64-bit length)",
                    "§5.2 64-bit extended payload length", List.of(Frame.binary(big)), List.of(Frame.binary(big))));
        }

        cases.add(reply("valid-fragmented-text", category, "text in 3 fragments: \"Hello, \" + \"fragmented \" + \"world\"",
                "§5.4 fragmentation: the reassembled message is echoed",
                List.of(Frame.text("Hello, ").withFin(false),
                        Frame.continuation(ascii("fragmented ")).withFin(false),
                        Frame.continuation(ascii("world"))),
                List.of(Frame.text("Hello, fragmented world"))));

        cases.add(reply("valid-utf8-codepoint-split", category,
                "\"κόσμε\" in 2 text fragments split inside a multi-byte character",
                "§5.6 a frame may hold a partial UTF-8 sequence; only the whole message must be valid",
                List.of(Frame.of(Opcode.TEXT, Arrays.copyOfRange(KOSME, 0, 3)).withFin(false),
                        Frame.continuation(Arrays.copyOfRange(KOSME, 3, KOSME.length))),
                List.of(Frame.of(Opcode.TEXT, KOSME))));

        byte[] pingData = ascii("ping payload");
        cases.add(reply("ping-pong", category, "ping \"ping payload\"",
                "§5.5.2 MUST answer a ping with a pong carrying the same data",
                List.of(Frame.ping(pingData)), List.of(Frame.pong(pingData))));

        byte[] maxControl = pattern(125);
        cases.add(reply("ping-125-bytes", category, "ping with a 125-byte payload (the largest allowed)",
                "§5.5 control payload up to 125 bytes; §5.5.2 MUST pong",
                List.of(Frame.ping(maxControl)), List.of(Frame.pong(maxControl))));

        byte[] between = ascii("in between");
        cases.add(reply("ping-between-fragments", category, "text fragment \"Hello, \", ping, continuation \"world\"",
                "§5.4 MUST handle control frames in the middle of a fragmented message; §5.5.2 MUST pong",
                List.of(Frame.text("Hello, ").withFin(false), Frame.ping(between), Frame.continuation(ascii("world"))),
                List.of(Frame.pong(between), Frame.text("Hello, world"))));

        cases.add(new ConformanceCase("close-1000", category, "close 1000 \"bye\"",
                "§5.5.1 MUST reply with a close frame (typically echoing the code)",
                new Expected.CloseReply(NORMAL), List.of(Frame.close(NORMAL, ascii("bye"))), List.of()));

        cases.add(new ConformanceCase("close-empty", category, "close frame with no body",
                "§5.5.1 the body is optional; MUST reply with a close frame",
                new Expected.CloseReply(Expected.CloseReply.NO_CODE), List.of(Frame.of(Opcode.CLOSE, new byte[0])),
                List.of()));

        cases.add(new ConformanceCase("close-4000", category, "close 4000 (private-use range)",
                "§7.4.2 4000-4999 are valid private-use codes; §5.5.1 MUST reply with a close frame",
                new Expected.CloseReply(4000), List.of(Frame.close(4000)), List.of()));
    }

    private static void masking(List<ConformanceCase> cases) {
        Frame text = Frame.text(HELLO);
        cases.add(fail("unmasked-text", "masking", "unmasked text frame \"" + HELLO + "\"",
                "§5.1 server MUST close the connection on an unmasked frame; MAY send 1002",
                PROTOCOL_ERROR, List.of(text.withMasked(false)), List.of(text)));
    }

    private static void reservedBits(List<ConformanceCase> cases) {
        String category = "reserved bits";
        String rfc = "§5.2 RSV MUST be 0 without a negotiated extension; receiver MUST fail";
        Frame text = Frame.text(HELLO);
        Frame binary = Frame.binary(ascii(HELLO));
        Frame ping = Frame.ping(ascii(HELLO));
        cases.add(fail("rsv1-text", category, "text frame with RSV1 set", rfc, PROTOCOL_ERROR,
                List.of(text.withRsv(4)), List.of(text)));
        cases.add(fail("rsv2-text", category, "text frame with RSV2 set", rfc, PROTOCOL_ERROR,
                List.of(text.withRsv(2)), List.of(text)));
        cases.add(fail("rsv3-binary", category, "binary frame with RSV3 set", rfc, PROTOCOL_ERROR,
                List.of(binary.withRsv(1)), List.of(binary)));
        cases.add(fail("rsv-all-ping", category, "ping with RSV1, RSV2 and RSV3 set", rfc, PROTOCOL_ERROR,
                List.of(ping.withRsv(7)), List.of(Frame.pong(ascii(HELLO)))));
    }

    private static void opcodes(List<ConformanceCase> cases) {
        String category = "unknown opcode";
        String rfc = "§5.2 unknown opcode: receiver MUST fail";
        for (int opcode : new int[] {0x3, 0x7, 0xB, 0xF}) {
            String kind = Opcode.isControl(opcode) ? "reserved control" : "reserved data";
            cases.add(fail(String.format("opcode-0x%X", opcode), category,
                    String.format("frame with %s opcode 0x%X", kind, opcode), rfc, PROTOCOL_ERROR,
                    List.of(Frame.of(opcode, ascii(HELLO))), List.of()));
        }
    }

    private static void controlFrames(List<ConformanceCase> cases) {
        String category = "control frames";
        byte[] tooLong = pattern(126);
        cases.add(fail("ping-126-bytes", category, "ping with a 126-byte payload",
                "§5.5 control frames MUST have ≤125-byte payloads; receiver action unspecified, Autobahn 2.5: fail",
                PROTOCOL_ERROR, List.of(Frame.ping(tooLong)), List.of(Frame.pong(tooLong))));
        byte[] longReason = new byte[124];
        Arrays.fill(longReason, (byte) '*');
        cases.add(fail("close-126-bytes", category, "close 1000 with a 124-byte reason (126-byte payload)",
                "§5.5 control frames MUST have ≤125-byte payloads; receiver action unspecified, Autobahn 7.3.6: fail",
                PROTOCOL_ERROR, List.of(Frame.close(NORMAL, longReason)), List.of()));
        String fragmentedRfc = "§5.4/§5.5 control frames MUST NOT be fragmented; receiver action unspecified, "
                + "Autobahn 5.1/5.2: fail";
        cases.add(fail("ping-fragmented", category, "ping split in 2 fragments (FIN=0 ping, continuation)",
                fragmentedRfc, PROTOCOL_ERROR,
                List.of(Frame.ping(ascii("frag")).withFin(false), Frame.continuation(ascii("mented"))), List.of()));
        cases.add(fail("pong-fragmented", category, "pong split in 2 fragments (FIN=0 pong, continuation)",
                fragmentedRfc, PROTOCOL_ERROR,
                List.of(Frame.pong(ascii("frag")).withFin(false), Frame.continuation(ascii("mented"))), List.of()));
    }

    private static void fragmentation(List<ConformanceCase> cases) {
        String category = "fragmentation";
        String orphanRfc = "§5.4 a continuation frame only continues a started message; "
                + "receiver action unspecified, Autobahn 5.9-5.14: fail";
        cases.add(fail("continuation-without-start", category, "final continuation frame with no message to continue",
                orphanRfc, PROTOCOL_ERROR, List.of(Frame.continuation(ascii("orphan"))), List.of()));
        cases.add(fail("continuations-without-start", category,
                "two continuation frames (FIN=0, FIN=1) with no message to continue",
                orphanRfc, PROTOCOL_ERROR,
                List.of(Frame.continuation(ascii("orphan ")).withFin(false), Frame.continuation(ascii("fragments"))),
                List.of()));
        cases.add(fail("new-message-inside-fragmented", category,
                "text fragment \"Hello, \" (FIN=0) then a new text frame \"world\"",
                "§5.4 fragments of one message MUST NOT be interleaved with another's; "
                        + "receiver action unspecified, Autobahn 5.18: fail",
                PROTOCOL_ERROR, List.of(Frame.text("Hello, ").withFin(false), Frame.text("world")), List.of()));
    }

    private static void utf8(List<ConformanceCase> cases) {
        String category = "invalid UTF-8";
        String rfc = "§8.1 invalid UTF-8 in a text message: MUST fail; §7.4.1 code 1007";
        byte[] surrogate = concat(KOSME, SURROGATE, EDITED);
        cases.add(fail("invalid-utf8-surrogate", category,
                "one text frame \"κόσμε\" + U+D800 as UTF-8 (ED A0 80) + \"edited\"",
                rfc, INVALID_PAYLOAD, List.of(Frame.of(Opcode.TEXT, surrogate)), List.of(Frame.of(Opcode.TEXT, surrogate))));
        byte[] overlong = concat(ascii("Hello "), new byte[] {(byte) 0xC0, (byte) 0xAF});
        cases.add(fail("invalid-utf8-overlong", category, "one text frame \"Hello \" + overlong '/' (C0 AF)",
                rfc, INVALID_PAYLOAD, List.of(Frame.of(Opcode.TEXT, overlong)), List.of(Frame.of(Opcode.TEXT, overlong))));
        byte[] truncated = concat(ascii("Hello "), new byte[] {(byte) 0xE2, (byte) 0x82});
        cases.add(fail("invalid-utf8-truncated", category,
                "one text frame ending inside a character: \"Hello \" + E2 82 (2 of the 3 bytes of '€')",
                rfc, INVALID_PAYLOAD, List.of(Frame.of(Opcode.TEXT, truncated)), List.of(Frame.of(Opcode.TEXT, truncated))));
        cases.add(fail("invalid-utf8-second-fragment", category,
                "text fragment \"κόσμε\" (valid), then continuation ED A0 80 + \"edited\"",
                rfc, INVALID_PAYLOAD,
                List.of(Frame.of(Opcode.TEXT, KOSME).withFin(false), Frame.continuation(concat(SURROGATE, EDITED))),
                List.of(Frame.of(Opcode.TEXT, surrogate))));
        byte[] firstPart = concat(KOSME, Arrays.copyOfRange(SURROGATE, 0, 1));
        cases.add(fail("invalid-utf8-across-fragments", category,
                "invalid sequence split across fragments: \"κόσμε\" + ED | A0 80 + \"edited\"",
                rfc, INVALID_PAYLOAD,
                List.of(Frame.of(Opcode.TEXT, firstPart).withFin(false),
                        Frame.continuation(concat(Arrays.copyOfRange(SURROGATE, 1, 3), EDITED))),
                List.of(Frame.of(Opcode.TEXT, surrogate))));
    }

    private static void closeFrames(List<ConformanceCase> cases) {
        String category = "close frame";
        cases.add(fail("close-1-byte", category, "close frame with a 1-byte body (0x03)",
                "§5.5.1 a close body starts with a 2-byte code, so 1 byte is malformed; "
                        + "receiver action unspecified, Autobahn 7.3.2: fail",
                PROTOCOL_ERROR, List.of(Frame.of(Opcode.CLOSE, new byte[] {0x03})), List.of()));
        record BadCode(int code, String rfc) {
        }
        String unspecified = "; receiver action unspecified, Autobahn 7.9: fail";
        List<BadCode> badCodes = List.of(
                new BadCode(999, "§7.4.2 codes 0-999 are not used" + unspecified),
                new BadCode(1004, "§7.4.1 1004 is reserved" + unspecified),
                new BadCode(1005, "§7.4.1 1005 MUST NOT be sent in a close frame" + unspecified),
                new BadCode(1006, "§7.4.1 1006 MUST NOT be sent in a close frame" + unspecified),
                new BadCode(1015, "§7.4.1 1015 MUST NOT be sent in a close frame" + unspecified),
                new BadCode(5000, "§7.4.2 defines no codes above 4999; not specified (Autobahn 7.13: informational)"));
        for (BadCode bad : badCodes) {
            cases.add(fail("close-code-" + bad.code(), category, "close frame with status code " + bad.code(),
                    bad.rfc(), PROTOCOL_ERROR, List.of(Frame.close(bad.code())), List.of()));
        }
        cases.add(new ConformanceCase("close-reason-invalid-utf8", category,
                "close 1000 with reason \"κόσμε\" + ED A0 80 + \"edited\" (invalid UTF-8)",
                "§5.5.1 the reason is UTF-8; §8.1 invalid UTF-8 MUST fail; 1007 (Autobahn 7.5.1 also accepts 1002)",
                new Expected.FailConnection(INVALID_PAYLOAD, Set.of(PROTOCOL_ERROR)),
                List.of(Frame.close(NORMAL, concat(KOSME, SURROGATE, EDITED))), List.of()));
    }

    private static void limits(List<ConformanceCase> cases, int maxMessageBytes) {
        String category = "message size";
        String rfc = "§10.4 MUST protect itself against messages over its limits; §7.4.1 code 1009";
        byte[] oversize = pattern(maxMessageBytes + 1);
        cases.add(fail("oversize-single-frame", category,
                "binary message of maxMessageBytes+1 = " + oversize.length + " bytes in one frame",
                rfc, MESSAGE_TOO_BIG, List.of(Frame.binary(oversize)), List.of(Frame.binary(oversize))));
        cases.add(fail("oversize-fragmented", category,
                "binary message of maxMessageBytes+1 = " + oversize.length + " bytes in "
                        + OVERSIZE_FRAGMENTS + " fragments, each under the limit",
                rfc, MESSAGE_TOO_BIG, fragments(Opcode.BINARY, oversize, OVERSIZE_FRAGMENTS), List.of(Frame.binary(oversize))));
    }

    /** Splits {@code data} into at most {@code count} fragments of a message with {@code opcode}. */
    static List<Frame> fragments(int opcode, byte[] data, int count) {
        int size = Math.max(1, (data.length + count - 1) / count);
        List<Frame> frames = new ArrayList<>();
        for (int start = 0; start < data.length; start += size) {
            int end = Math.min(data.length, start + size);
            Frame fragment = Frame.of(start == 0 ? opcode : Opcode.CONTINUATION, Arrays.copyOfRange(data, start, end));
            frames.add(fragment.withFin(end == data.length));
        }
        return frames;
    }

    private static ConformanceCase reply(String id, String category, String description, String rfc,
            List<Frame> send, List<Frame> replies) {
        return new ConformanceCase(id, category, description, rfc, new Expected.Reply(), send, replies);
    }

    private static ConformanceCase fail(String id, String category, String description, String rfc, int code,
            List<Frame> send, List<Frame> acceptingReplies) {
        return new ConformanceCase(id, category, description, rfc, new Expected.FailConnection(code), send,
                acceptingReplies);
    }

    /** Printable bytes that differ from position to position, so a misplaced byte in an echo shows. */
    static byte[] pattern(int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) ('a' + i % 26);
        }
        return bytes;
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
