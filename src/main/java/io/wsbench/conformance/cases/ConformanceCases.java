package io.wsbench.conformance.cases;

import io.wsbench.wire.Frame;
import io.wsbench.wire.FrameCodec;
import io.wsbench.wire.Opcode;
import io.wsbench.wire.PerMessageDeflate;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The case catalogue, numbered as Autobahn|Testsuite's sections 1–7, 9, 10, 12 and 13 (each case says what it sends
 * and what Autobahn expects back), plus this suite's own {@code ws.N} cases: the unmasked frame and the message limit,
 * which Autobahn does not test. Built from data and a few generators: length classes, UTF-8 sequences, fragment
 * splits, deflate parameter sets.
 *
 * <p>The {@code rfc} text of each case names the RFC 6455 (or RFC 7692) requirement and its strength: "MUST fail" where
 * the RFC says the receiver MUST <em>Fail the WebSocket Connection</em>; where it only forbids the sender, the
 * expectation is Autobahn's and the text says the receiver's action is not spelled out.
 */
public final class ConformanceCases {

    public static final int NORMAL = 1000;
    static final int PROTOCOL_ERROR = 1002;
    static final int INVALID_PAYLOAD = 1007;
    static final int MESSAGE_TOO_BIG = 1009;

    /** Section 9's largest message: the server of those cases must accept at least this many bytes. */
    public static final int LARGEST_TIMED_MESSAGE = 16 << 20;
    /**
     * How long a section 9 case's server has to echo, and to serve the still-up check after it (Autobahn gives 10 to
     * 100 s): long enough for a slow server that works; a case only takes it when the server stalls.
     */
    public static final Duration TIMED_REACTION = Duration.ofSeconds(30);
    /** How long a deflate case's server has to echo all its messages. */
    static final Duration DEFLATE_REACTION = Duration.ofSeconds(10);
    /** Messages per deflate case: Autobahn sends 1000, which would take this suite past its budget. */
    public static final int DEFLATE_MESSAGES = 4;
    /** Fragments the over-limit message is split into, so that no single frame is itself over the limit. */
    static final int OVERSIZE_FRAGMENTS = 16;

    private static final byte[] HELLO = ascii("Hello, world!");
    /** The masking key of the frames split in the middle (6.4.3, 6.4.4), fixed so the split points are known. */
    private static final byte[] FIXED_MASK = {0x37, (byte) 0xFA, 0x21, 0x3D};

    private ConformanceCases() {
    }

    /** Every case, in report order, for a server whose message limit is {@code maxMessageBytes}. */
    public static List<ConformanceCase> all(int maxMessageBytes) {
        if (maxMessageBytes < 1) {
            throw new IllegalArgumentException("maxMessageBytes must be positive, was " + maxMessageBytes);
        }
        List<ConformanceCase> cases = new ArrayList<>();
        cases.addAll(framing());
        cases.addAll(pingPong());
        cases.addAll(reservedBits());
        cases.addAll(opcodes());
        cases.addAll(fragmentation());
        cases.addAll(utf8());
        cases.addAll(closeHandling());
        cases.addAll(autoFragmentation());
        cases.addAll(ownCases(maxMessageBytes));
        return List.copyOf(cases);
    }

    /** Section 9: large messages and many frames, for a server whose limit is at least {@link #LARGEST_TIMED_MESSAGE}. */
    public static List<ConformanceCase> timed() {
        List<ConformanceCase> cases = new ArrayList<>();
        int[] sizes = {64 << 10, 256 << 10, 1 << 20, 4 << 20, 8 << 20, 16 << 20};
        for (boolean binary : new boolean[] {false, true}) {
            for (int i = 0; i < sizes.length; i++) {
                cases.add(timedCase((binary ? "9.2." : "9.1.") + (i + 1), binary, sizes[i], 0));
            }
        }
        cases.add(timedCase("9.4.6", true, 4 << 20, 64 << 10));
        cases.add(timedCase("9.10.1", true, 16 << 20, 64 << 10));
        cases.add(timedCase("9.10.2", true, 1 << 20, 1));
        return cases;
    }

    /** Sections 12 and 13: permessage-deflate, for a server configured with compression on. */
    public static List<ConformanceCase> deflate() {
        List<ConformanceCase> cases = new ArrayList<>();
        List<DeflateData> data = DeflateData.all();
        for (int set = 0; set < data.size(); set++) {
            for (int size = 0; size < DEFLATE_SIZES.length; size++) {
                cases.add(deflateCase("12." + (set + 1) + "." + (size + 1), data.get(set), DEFLATE_SIZES[size],
                        DEFAULT_OFFER, "the default offer"));
            }
        }
        DeflateData json = data.get(0);
        for (int set = 0; set < DEFLATE_OFFERS.size(); set++) {
            for (int size = 0; size < DEFLATE_SIZES.length; size++) {
                cases.add(deflateCase("13." + (set + 1) + "." + (size + 1), json, DEFLATE_SIZES[size],
                        DEFLATE_OFFERS.get(set), "the offer '" + DEFLATE_OFFERS.get(set) + "'"));
            }
        }
        return cases;
    }

    /** The title of each subsection ({@code 6.12} → "Unexpected continuation bytes"), for the reports. */
    public static Map<String, String> subsectionTitles() {
        Map<String, String> titles = new LinkedHashMap<>();
        titles.put("1.1", "Text messages of each length class");
        titles.put("1.2", "Binary messages of each length class");
        titles.put("2", "Pings and pongs");
        titles.put("3", "Reserved bits");
        titles.put("4.1", "Reserved non-control opcodes");
        titles.put("4.2", "Reserved control opcodes");
        titles.put("5", "Fragmentation");
        titles.put("6.1", "Empty text messages");
        titles.put("6.2", "Valid UTF-8, whole and fragmented");
        titles.put("6.3", "Invalid UTF-8, whole and fragmented");
        titles.put("6.4", "Fail fast on invalid UTF-8 in a fragment");
        List<Utf8Sequences.Group> groups = Utf8Sequences.groups();
        for (int g = 0; g < groups.size(); g++) {
            titles.put("6." + (Utf8Sequences.FIRST_SUBSECTION + g), groups.get(g).title());
        }
        titles.put("7.1", "Basic close behaviour");
        titles.put("7.3", "Close frame structure: payload length");
        titles.put("7.5", "Close frame structure: reason");
        titles.put("7.7", "Valid close codes");
        titles.put("7.9", "Invalid close codes");
        titles.put("7.13", "Close codes the RFC leaves open");
        titles.put("9.1", "Large text message in one frame (timed)");
        titles.put("9.2", "Large binary message in one frame (timed)");
        titles.put("9.4", "4 MiB binary message in fragments (timed)");
        titles.put("9.10", "This suite's many-frame cases, not Autobahn's (timed)");
        titles.put("10.1", "Auto-fragmentation");
        List<DeflateData> data = DeflateData.all();
        for (int d = 0; d < data.size(); d++) {
            titles.put("12." + (d + 1), "permessage-deflate, default offer: " + data.get(d).title());
        }
        for (int o = 0; o < DEFLATE_OFFERS.size(); o++) {
            titles.put("13." + (o + 1), "permessage-deflate, offer '" + DEFLATE_OFFERS.get(o) + "'");
        }
        titles.put("ws", "This suite's own: masking and the message limit");
        return titles;
    }

    // ---- Section 1: framing ----------------------------------------------------------------------------------------

    private static List<ConformanceCase> framing() {
        List<ConformanceCase> cases = new ArrayList<>();
        int[] lengths = {0, 125, 126, 127, 128, 65535, 65536, 65536};
        for (boolean binary : new boolean[] {false, true}) {
            for (int i = 0; i < lengths.length; i++) {
                int length = lengths[i];
                int chop = i == lengths.length - 1 ? 997 : Step.BATCHED;
                byte[] payload = filled(length, binary ? (byte) 0xFE : (byte) '*');
                Frame frame = Frame.of(binary ? Opcode.BINARY : Opcode.TEXT, payload);
                cases.add(echo((binary ? "1.2." : "1.1.") + (i + 1),
                        (binary ? "binary" : "text") + " message of " + length + " bytes"
                                + (chop > 0 ? ", written in chops of " + chop + " bytes" : ""),
                        "§5.6 " + (binary ? "binary" : "text") + " frame, §5.2 " + lengthClass(length)
                                + " payload length: echoed",
                        List.of(new Step.Send(List.of(frame), chop)), List.of(message(binary, payload)),
                        ConformanceCase.Ending.DROP));
            }
        }
        return cases;
    }

    private static String lengthClass(int length) {
        return length <= 125 ? "7-bit" : length <= 0xFFFF ? "16-bit" : "64-bit";
    }

    // ---- Section 2: pings and pongs ------------------------------------------------------------------------------

    private static List<ConformanceCase> pingPong() {
        String mustPong = "§5.5.2 MUST answer a ping with a pong carrying the same data";
        List<ConformanceCase> cases = new ArrayList<>();
        cases.add(pingCase("2.1", "ping without payload", new byte[0], Step.BATCHED));
        cases.add(pingCase("2.2", "ping with a small text payload", HELLO, Step.BATCHED));
        cases.add(pingCase("2.3", "ping with a small binary payload", Utf8Sequences.hex("00fffefdfcfb00ff"), Step.BATCHED));
        cases.add(pingCase("2.4", "ping with a 125-byte binary payload (the largest allowed)", filled(125, (byte) 0xFE),
                Step.BATCHED));
        byte[] tooLong = filled(126, (byte) 0xFE);
        cases.add(fail("2.5", "ping with a 126-byte payload",
                "§5.5 control frames MUST have ≤125-byte payloads; receiver action unspecified, Autobahn: fail 1002",
                List.of(send(Frame.ping(tooLong))), List.of(), null, PROTOCOL_ERROR));
        cases.add(pingCase("2.6", "ping with a 125-byte payload, written one byte at a time", filled(125, (byte) 0xFE), 1));
        for (int i = 0; i < 2; i++) {
            byte[] payload = i == 0 ? new byte[0] : ascii("unsolicited pong payload");
            cases.add(checked("2." + (7 + i), "unsolicited pong " + (i == 0 ? "without" : "with a") + " payload, then close 1000",
                    "§5.5.3 an unsolicited pong MAY be sent and needs no answer; §5.5.1 MUST answer the close",
                    List.of(send(Frame.pong(payload), Frame.close(NORMAL))), ok(List.of()), ExpectedClose.clientCloses(),
                    ConformanceCase.Ending.CLOSE));
        }
        byte[] pingPayload = ascii("ping payload");
        cases.add(echo("2.9", "unsolicited pong, then ping \"ping payload\"",
                "§5.5.3 an unsolicited pong needs no answer; " + mustPong,
                List.of(send(Frame.pong(ascii("unsolicited pong payload")), Frame.ping(pingPayload))),
                List.of(new Event.Pong(pingPayload)), ConformanceCase.Ending.CLOSE));
        for (int chop : new int[] {Step.BATCHED, 1}) {
            List<Frame> pings = new ArrayList<>();
            List<Event> pongs = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                byte[] payload = ascii("payload-" + i);
                pings.add(Frame.ping(payload));
                pongs.add(new Event.Pong(payload));
            }
            cases.add(echo(chop == 1 ? "2.11" : "2.10", "10 pings with payloads" + (chop == 1 ? ", written one byte at a time" : ""),
                    mustPong + " (a pong for every ping is not required, §5.5.3; Autobahn checks it)",
                    List.of(new Step.Send(pings, chop)), pongs, ConformanceCase.Ending.CLOSE));
        }
        return cases;
    }

    private static ConformanceCase pingCase(String id, String description, byte[] payload, int chop) {
        return echo(id, description, "§5.5.2 MUST answer a ping with a pong carrying the same data",
                List.of(new Step.Send(List.of(Frame.ping(payload)), chop)), List.of(new Event.Pong(payload)),
                ConformanceCase.Ending.CLOSE);
    }

    // ---- Section 3: reserved bits --------------------------------------------------------------------------------

    private static List<ConformanceCase> reservedBits() {
        String rfc = "§5.2 RSV MUST be 0 without a negotiated extension; receiver MUST fail";
        List<ConformanceCase> cases = new ArrayList<>();
        Frame text = Frame.of(Opcode.TEXT, HELLO);
        cases.add(fail("3.1", "text frame with RSV = 1", rfc, List.of(send(text.withRsv(1))), List.of(), null,
                PROTOCOL_ERROR));
        int[] chops = {Step.BATCHED, Step.PER_FRAME, 1};
        for (int i = 0; i < chops.length; i++) {
            int rsv = 2 + i;
            cases.add(fail("3." + rsv, "text frame, the same with RSV = " + rsv + ", then a ping" + chopWords(chops[i]),
                    rfc + "; the first message is echoed, the ping after the bad frame is not answered" + AFTER_ECHO,
                    afterEcho(List.of(text), List.of(text.withRsv(rsv), Frame.ping(new byte[0])), chops[i]),
                    List.of(Event.Message.text(HELLO)), List.of(), PROTOCOL_ERROR));
        }
        cases.add(fail("3.5", "binary frame with RSV = 5", rfc,
                List.of(send(Frame.binary(Utf8Sequences.hex("00fffefdfcfb00ff")).withRsv(5))), List.of(), null,
                PROTOCOL_ERROR));
        cases.add(fail("3.6", "ping with RSV = 6", rfc, List.of(send(Frame.ping(HELLO).withRsv(6))), List.of(), null,
                PROTOCOL_ERROR));
        cases.add(fail("3.7", "close frame with RSV = 7", rfc, List.of(send(Frame.close(NORMAL).withRsv(7))), List.of(),
                null, PROTOCOL_ERROR));
        return cases;
    }

    private static String chopWords(int chop) {
        return switch (chop) {
            case Step.BATCHED -> "";
            case Step.PER_FRAME -> ", each frame written on its own";
            case 1 -> ", written one byte at a time";
            default -> ", written in chops of " + chop + " bytes";
        };
    }

    // ---- Section 4: opcodes -------------------------------------------------------------------------------------

    private static List<ConformanceCase> opcodes() {
        String rfc = "§5.2 unknown opcode: receiver MUST fail";
        List<ConformanceCase> cases = new ArrayList<>();
        byte[] reservedPayload = ascii("reserved opcode payload");
        for (int group = 1; group <= 2; group++) {
            int base = group == 1 ? 3 : 11;
            String kind = group == 1 ? "non-control" : "control";
            for (int i = 0; i < 5; i++) {
                int opcode = base + i;
                String id = "4." + group + "." + (i + 1);
                String what = String.format("reserved %s opcode %d", kind, opcode);
                if (i < 2) {
                    byte[] payload = i == 0 ? new byte[0] : reservedPayload;
                    cases.add(fail(id, "frame with " + what + (i == 0 ? "" : " and a payload"), rfc,
                            List.of(send(Frame.of(opcode, payload))), List.of(), null, PROTOCOL_ERROR));
                } else {
                    int chop = i == 4 ? 1 : Step.BATCHED;
                    byte[] payload = i == 2 ? new byte[0] : HELLO;
                    cases.add(fail(id, "text frame, frame with " + what + ", ping" + chopWords(chop),
                            rfc + "; the text is echoed, the ping after the bad frame is not answered" + AFTER_ECHO,
                            afterEcho(List.of(Frame.of(Opcode.TEXT, HELLO)),
                                    List.of(Frame.of(opcode, payload), Frame.ping(new byte[0])), chop),
                            List.of(Event.Message.text(HELLO)), List.of(), PROTOCOL_ERROR));
                }
            }
        }
        return cases;
    }

    // ---- Section 5: fragmentation --------------------------------------------------------------------------------

    private static List<ConformanceCase> fragmentation() {
        List<ConformanceCase> cases = new ArrayList<>();
        String controlRfc = "§5.4/§5.5 control frames MUST NOT be fragmented; receiver action unspecified, Autobahn: fail";
        cases.add(fail("5.1", "ping in 2 fragments", controlRfc,
                List.of(send(frag(Opcode.PING, "fragment1", false), frag(Opcode.CONTINUATION, "fragment2", true))),
                List.of(), null, PROTOCOL_ERROR));
        cases.add(fail("5.2", "pong in 2 fragments", controlRfc,
                List.of(send(frag(Opcode.PONG, "fragment1", false), frag(Opcode.CONTINUATION, "fragment2", true))),
                List.of(), null, PROTOCOL_ERROR));
        String fragmentedRfc = "§5.4 a fragmented message is reassembled and echoed";
        String pingRfc = "§5.4 MUST handle control frames between fragments; §5.5.2 MUST pong";
        int[] chops = {Step.BATCHED, Step.PER_FRAME, 1};
        for (int i = 0; i < 3; i++) {
            cases.add(echo("5." + (3 + i), "text in 2 fragments" + chopWords(chops[i]), fragmentedRfc,
                    List.of(new Step.Send(List.of(frag(Opcode.TEXT, "fragment1", false),
                            frag(Opcode.CONTINUATION, "fragment2", true)), chops[i])),
                    List.of(Event.Message.text(ascii("fragment1fragment2"))), ConformanceCase.Ending.CLOSE));
        }
        byte[] pingPayload = ascii("ping payload");
        for (int i = 0; i < 3; i++) {
            cases.add(echo("5." + (6 + i), "text in 2 fragments with a ping between them" + chopWords(chops[i]), pingRfc,
                    List.of(new Step.Send(List.of(frag(Opcode.TEXT, "fragment1", false), Frame.ping(pingPayload),
                            frag(Opcode.CONTINUATION, "fragment2", true)), chops[i])),
                    List.of(new Event.Pong(pingPayload), Event.Message.text(ascii("fragment1fragment2"))),
                    ConformanceCase.Ending.CLOSE));
        }
        String orphanRfc = "§5.4 a continuation frame only continues a started message; receiver action unspecified, "
                + "Autobahn: fail";
        for (int i = 0; i < 6; i++) {
            boolean fin = i < 3;
            cases.add(fail("5." + (9 + i), "continuation frame with FIN = " + fin + " and nothing to continue, then a text"
                    + " message" + chopWords(chops[i % 3]), orphanRfc,
                    List.of(new Step.Send(List.of(frag(Opcode.CONTINUATION, "non-continuation payload", fin),
                            Frame.of(Opcode.TEXT, HELLO)), chops[i % 3])), List.of(), null, PROTOCOL_ERROR));
        }
        cases.add(fail("5.15", "text in 2 fragments, then a continuation with FIN = false and nothing to continue, then text",
                orphanRfc + "; the first message is echoed" + AFTER_ECHO,
                afterEcho(List.of(frag(Opcode.TEXT, "fragment1", false), frag(Opcode.CONTINUATION, "fragment2", true)),
                        List.of(frag(Opcode.CONTINUATION, "fragment3", false), frag(Opcode.TEXT, "fragment4", true)),
                        Step.BATCHED),
                List.of(Event.Message.text(ascii("fragment1fragment2"))), List.of(), PROTOCOL_ERROR));
        for (int i = 0; i < 2; i++) {
            boolean fin = i == 1;
            List<Frame> twice = new ArrayList<>();
            for (int repeat = 0; repeat < 2; repeat++) {
                twice.add(frag(Opcode.CONTINUATION, "fragment1", fin));
                twice.add(frag(Opcode.TEXT, "fragment2", false));
                twice.add(frag(Opcode.CONTINUATION, "fragment3", true));
            }
            cases.add(fail("5." + (16 + i), "twice: continuation with FIN = " + fin
                    + " and nothing to continue, then text in 2 fragments", orphanRfc, List.of(send(twice.toArray(Frame[]::new))),
                    List.of(), null, PROTOCOL_ERROR));
        }
        cases.add(fail("5.18", "text in 2 fragments, both with the text opcode",
                "§5.4 fragments after the first MUST have opcode 0; receiver action unspecified, Autobahn: fail",
                List.of(send(frag(Opcode.TEXT, "fragment1", false), frag(Opcode.TEXT, "fragment2", true))),
                List.of(), null, PROTOCOL_ERROR));
        for (int i = 0; i < 2; i++) {
            int chop = i == 0 ? Step.BATCHED : Step.PER_FRAME;
            byte[] ping1 = ascii("pongme 1!");
            byte[] ping2 = ascii("pongme 2!");
            cases.add(echo("5." + (19 + i), "text in 5 fragments, a ping after the 2nd, a pause, a ping before the last"
                    + chopWords(chop), pingRfc + " before the message is complete",
                    List.of(new Step.Send(List.of(frag(Opcode.TEXT, "fragment1", false),
                                    frag(Opcode.CONTINUATION, "fragment2", false), Frame.ping(ping1)), chop),
                            new Step.Pause(""),
                            new Step.Send(List.of(frag(Opcode.CONTINUATION, "fragment3", false),
                                    frag(Opcode.CONTINUATION, "fragment4", false), Frame.ping(ping2),
                                    frag(Opcode.CONTINUATION, "fragment5", true)), chop)),
                    List.of(new Event.Pong(ping1), new Event.Pong(ping2),
                            Event.Message.text(ascii("fragment1fragment2fragment3fragment4fragment5"))),
                    ConformanceCase.Ending.CLOSE));
        }
        return cases;
    }

    // ---- Section 6: UTF-8 ----------------------------------------------------------------------------------------

    private static List<ConformanceCase> utf8() {
        List<ConformanceCase> cases = new ArrayList<>();
        String validRfc = "§5.6 valid UTF-8 text: echoed";
        String invalidRfc = "§8.1 invalid UTF-8 in a text message: MUST fail; §7.4.1 code 1007";
        cases.add(utf8Echo("6.1.1", "empty text message", new Step.Send(List.of(Frame.of(Opcode.TEXT, new byte[0])),
                Step.BATCHED), new byte[0]));
        cases.add(utf8Echo("6.1.2", "text in 3 empty fragments", send(frag(Opcode.TEXT, "", false),
                frag(Opcode.CONTINUATION, "", false), frag(Opcode.CONTINUATION, "", true)), new byte[0]));
        cases.add(utf8Echo("6.1.3", "text in 3 fragments, only the middle one not empty", send(frag(Opcode.TEXT, "", false),
                frag(Opcode.CONTINUATION, "middle frame payload", false), frag(Opcode.CONTINUATION, "", true)),
                ascii("middle frame payload")));
        byte[] mixed = "Hello-µ@ßöäüàá-UTF-8!!".getBytes(StandardCharsets.UTF_8);
        cases.add(utf8Echo("6.2.1", "valid UTF-8 text in one frame", send(Frame.of(Opcode.TEXT, mixed)), mixed));
        byte[] first = "Hello-µ@ßöä".getBytes(StandardCharsets.UTF_8);
        cases.add(utf8Echo("6.2.2", "valid UTF-8 text in 2 fragments split on a code point boundary",
                send(Frame.of(Opcode.TEXT, first).withFin(false),
                        Frame.continuation(Arrays.copyOfRange(mixed, first.length, mixed.length))), mixed));
        cases.add(utf8Echo("6.2.3", "valid UTF-8 text in 1-byte fragments (splitting code points)",
                new Step.Message(false, mixed, 1), mixed));
        cases.add(utf8Echo("6.2.4", "\"κόσμε\" in 1-byte fragments (splitting code points)",
                new Step.Message(false, Utf8Sequences.KOSME, 1), Utf8Sequences.KOSME));
        byte[] invalid = concat(Utf8Sequences.KOSME, Utf8Sequences.hex("eda080"), ascii("edited"));
        cases.add(utf8Fail("6.3.1", "invalid UTF-8 text in one frame (" + hex(invalid) + ")", invalidRfc,
                List.of(send(Frame.of(Opcode.TEXT, invalid))), null));
        cases.add(utf8Fail("6.3.2", "the same invalid text in 1-byte fragments", invalidRfc,
                List.of(new Step.Message(false, invalid, 1)), null));
        cases.addAll(failFast());
        List<Utf8Sequences.Group> groups = Utf8Sequences.groups();
        for (int g = 0; g < groups.size(); g++) {
            List<Utf8Sequences.Sequence> sequences = groups.get(g).sequences();
            for (int s = 0; s < sequences.size(); s++) {
                Utf8Sequences.Sequence sequence = sequences.get(s);
                String id = "6." + (Utf8Sequences.FIRST_SUBSECTION + g) + "." + (s + 1);
                Step step = send(Frame.of(Opcode.TEXT, sequence.bytes()));
                String description = "text frame 0x" + sequence.hex() + " (" + (sequence.valid() ? "valid" : "invalid") + ")";
                cases.add(sequence.valid()
                        ? echo(id, description, validRfc, List.of(step), List.of(Event.Message.text(sequence.bytes())),
                                ConformanceCase.Ending.DROP)
                        : utf8Fail(id, description, invalidRfc, List.of(step), null));
            }
        }
        return cases;
    }

    /** 6.4: invalid UTF-8 arrives in the middle of a message; failing before the rest arrives is the strict answer. */
    private static List<ConformanceCase> failFast() {
        String rfc = "§8.1 MUST fail on invalid UTF-8; failing as soon as the bad byte arrives is strict (OK), "
                + "only at the end of the message NON-STRICT (Autobahn 6.4)";
        byte[] part1 = Utf8Sequences.KOSME;
        byte[] part2 = Utf8Sequences.hex("f4908080");
        byte[] part3 = ascii("edited");
        byte[] whole = concat(part1, part2, part3);
        List<Event> nonStrict = List.of(new Event.StillOpenAfterPause("A"), new Event.StillOpenAfterPause("B"));
        List<ConformanceCase> cases = new ArrayList<>();
        int[][] splits = {{part1.length, part1.length + part2.length}, {part1.length + 1, part1.length + 2}};
        for (int i = 0; i < 2; i++) {
            int a = splits[i][0];
            int b = splits[i][1];
            cases.add(utf8Fail("6.4." + (i + 1), "text in 3 fragments (" + hex(Arrays.copyOf(whole, a)) + " | "
                            + hex(Arrays.copyOfRange(whole, a, b)) + " | " + hex(Arrays.copyOfRange(whole, b, whole.length))
                            + "), a pause after the 1st and the 2nd; the 2nd makes it invalid", rfc,
                    List.of(send(Frame.of(Opcode.TEXT, Arrays.copyOf(whole, a)).withFin(false)), new Step.Pause("A"),
                            send(Frame.continuation(Arrays.copyOfRange(whole, a, b)).withFin(false)), new Step.Pause("B"),
                            send(Frame.continuation(Arrays.copyOfRange(whole, b, whole.length)))), nonStrict));
        }
        for (int i = 0; i < 2; i++) {
            byte[] wire = FrameCodec.encode(Frame.of(Opcode.TEXT, whole), FIXED_MASK);
            int header = wire.length - whole.length;
            int a = header + splits[i][0];
            int b = header + splits[i][1];
            cases.add(utf8Fail("6.4." + (i + 3), "the same invalid text as 6.4." + (i + 1)
                            + " in one frame, written in 3 pieces with a pause after the 1st and the 2nd", rfc,
                    List.of(new Step.SendBytes(Arrays.copyOf(wire, a), "frame header + bytes 0.." + (splits[i][0] - 1)),
                            new Step.Pause("A"),
                            new Step.SendBytes(Arrays.copyOfRange(wire, a, b), "bytes " + splits[i][0] + ".." + (splits[i][1] - 1)),
                            new Step.Pause("B"),
                            new Step.SendBytes(Arrays.copyOfRange(wire, b, wire.length), "the rest")),
                    nonStrict));
        }
        return cases;
    }

    private static ConformanceCase utf8Echo(String id, String description, Step step, byte[] echoed) {
        return echo(id, description, "§5.6 valid UTF-8 text (§5.4 fragments may split code points): echoed",
                List.of(step), List.of(Event.Message.text(echoed)), ConformanceCase.Ending.CLOSE);
    }

    private static ConformanceCase utf8Fail(String id, String description, String rfc, List<Step> steps,
            List<Event> nonStrict) {
        Map<Behaviour, List<Event>> expected = new LinkedHashMap<>();
        expected.put(Behaviour.OK, nonStrict == null ? List.of() : List.of(new Event.StillOpenAfterPause("A")));
        if (nonStrict != null) {
            expected.put(Behaviour.NON_STRICT, nonStrict);
        }
        return checked(id, description, rfc, steps, expected,
                ExpectedClose.serverFails(INVALID_PAYLOAD).wrongEndpointFatal(), ConformanceCase.Ending.DROP);
    }

    // ---- Section 7: close handling -------------------------------------------------------------------------------

    private static List<ConformanceCase> closeHandling() {
        List<ConformanceCase> cases = new ArrayList<>();
        String afterClose = "§5.5.1 after sending a close frame the client sends no more data; the server MUST answer "
                + "the close and ignores what follows";
        ExpectedClose normal = ExpectedClose.clientCloses().wrongCodeFatal();
        byte[] hello = ascii("Hello World!");
        cases.add(checked("7.1.1", "text message, then close 1000 once echoed",
                "§5.5.1 MUST answer a close frame with a close frame", List.of(send(Frame.of(Opcode.TEXT, hello))),
                ok(List.of(Event.Message.text(hello))), normal, ConformanceCase.Ending.DROP));
        cases.add(closeCase("7.1.2", "close 1000, then a second close frame", afterClose,
                send(Frame.close(NORMAL), Frame.of(Opcode.CLOSE, new byte[0])), normal));
        cases.add(closeCase("7.1.3", "close 1000, then a ping", afterClose,
                send(Frame.close(NORMAL), Frame.ping(new byte[0])), normal));
        cases.add(closeCase("7.1.4", "close 1000, then a text message", afterClose,
                send(Frame.close(NORMAL), Frame.of(Opcode.TEXT, hello)), normal));
        cases.add(closeCase("7.1.5", "text fragment, close 1000, the last fragment", afterClose,
                send(frag(Opcode.TEXT, "fragment1", false), Frame.close(NORMAL), frag(Opcode.CONTINUATION, "fragment2", true)),
                normal));
        byte[] big = repeat(ascii("BAsd7&jh23"), 256 << 10);
        Map<Behaviour, List<Event>> bigFirst = new LinkedHashMap<>();
        bigFirst.put(Behaviour.OK, List.of(Event.Message.text(big), Event.Message.text(hello)));
        bigFirst.put(Behaviour.NON_STRICT, List.of());
        cases.add(new ConformanceCase("7.1.6", "256 KiB text, a text message, close 1000, ping, back to back",
                "§5.5.1 implementation-defined whether messages before the close are still echoed (Autobahn: informational;"
                        + " OK = both echoed, NON-STRICT = none)",
                List.of(send(Frame.of(Opcode.TEXT, big), Frame.of(Opcode.TEXT, hello), Frame.close(NORMAL),
                        Frame.ping(new byte[0]))), bigFirst, normal, ConformanceCase.Kind.INFORMATIONAL,
                ConformanceCase.Ending.DROP, null, ""));
        cases.add(closeCase("7.3.1", "close frame with no body", "§5.5.1 the body is optional; MUST answer with a close",
                send(Frame.of(Opcode.CLOSE, new byte[0])), normal));
        cases.add(closeCase("7.3.2", "close frame with a 1-byte body",
                "§5.5.1 a body starts with a 2-byte code, so 1 byte is malformed; receiver action unspecified, Autobahn: "
                        + "close 1002 or drop", send(Frame.of(Opcode.CLOSE, ascii("a"))), closeError(PROTOCOL_ERROR)));
        cases.add(closeCase("7.3.3", "close 1000", "§5.5.1 MUST answer with a close frame", send(Frame.close(NORMAL)),
                normal));
        cases.add(closeCase("7.3.4", "close 1000 with reason \"Hello World!\"", "§5.5.1 MUST answer with a close frame",
                send(Frame.close(NORMAL, hello)), normal));
        cases.add(closeCase("7.3.5", "close 1000 with a 123-byte reason (the largest)", "§5.5 a 125-byte control payload "
                + "is allowed; §5.5.1 MUST answer", send(Frame.close(NORMAL, filled(123, (byte) '*'))), normal));
        cases.add(closeCase("7.3.6", "close 1000 with a 124-byte reason (126-byte payload)",
                "§5.5 control payloads MUST be ≤125 bytes; receiver action unspecified, Autobahn: close 1002 or drop",
                send(Frame.close(NORMAL, filled(124, (byte) '*'))), closeError(PROTOCOL_ERROR)));
        cases.add(closeCase("7.5.1", "close 1000 with an invalid UTF-8 reason",
                "§5.5.1 the reason is UTF-8; §8.1 invalid UTF-8 MUST fail: close 1007 or 1002, or drop",
                send(Frame.close(NORMAL, concat(Utf8Sequences.KOSME, Utf8Sequences.hex("eda080"), ascii("edited")))),
                closeError(PROTOCOL_ERROR, INVALID_PAYLOAD)));
        int[] valid = {1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 3000, 3999, 4000, 4999};
        for (int i = 0; i < valid.length; i++) {
            int code = valid[i];
            cases.add(closeCase("7.7." + (i + 1), "close with valid code " + code,
                    "§7.4 " + code + " is a valid code; §5.5.1 MUST answer with a close (1000 or the code echoed)",
                    send(Frame.close(code)),
                    new ExpectedClose(true, code == NORMAL ? List.of(NORMAL) : List.of(NORMAL, code), true, false, true)));
        }
        int[] invalidCodes = {0, 999, 1004, 1005, 1006, 1016, 1100, 2000, 2999};
        for (int i = 0; i < invalidCodes.length; i++) {
            int code = invalidCodes[i];
            cases.add(closeCase("7.9." + (i + 1), "close with invalid code " + code,
                    "§7.4.1/§7.4.2 " + code + " MUST NOT appear in a close frame; receiver action unspecified, "
                            + "Autobahn: close 1002 or drop", send(Frame.close(code)), closeError(PROTOCOL_ERROR)));
        }
        int[] open = {5000, 65535};
        for (int i = 0; i < open.length; i++) {
            cases.add(new ConformanceCase("7.13." + (i + 1), "close with code " + open[i],
                    "§7.4.2 defines no codes above 4999: the outcome is not specified (Autobahn: informational)",
                    List.of(send(Frame.close(open[i]))), ok(List.of()),
                    new ExpectedClose(true, List.of(NORMAL, open[i], PROTOCOL_ERROR), false, false, false),
                    ConformanceCase.Kind.INFORMATIONAL, ConformanceCase.Ending.DROP, null, ""));
        }
        return cases;
    }

    private static ExpectedClose closeError(Integer... codes) {
        return new ExpectedClose(true, List.of(codes), false, false, true);
    }

    private static ConformanceCase closeCase(String id, String description, String rfc, Step step, ExpectedClose close) {
        return checked(id, description, rfc, List.of(step), ok(List.of()), close, ConformanceCase.Ending.DROP);
    }

    // ---- Section 9: timed ----------------------------------------------------------------------------------------

    private static ConformanceCase timedCase(String id, boolean binary, int size, int fragmentBytes) {
        byte[] payload = binary ? filled(size, (byte) 0xFE) : filled(size, (byte) '*');
        String description = (binary ? "binary" : "text") + " message of " + mebibytes(size)
                + (fragmentBytes == 0 ? " in one frame" : " in frames of " + (fragmentBytes == 1 ? "1 byte"
                        : mebibytes(fragmentBytes)));
        return new ConformanceCase(id, description, "§5.4/§5.6 echoed whole; the time to the echo is reported, never"
                + " judged", List.of(new Step.Message(binary, payload, fragmentBytes)),
                ok(List.of(message(binary, payload))), ExpectedClose.clientCloses(), ConformanceCase.Kind.TIMED,
                ConformanceCase.Ending.DROP, TIMED_REACTION, "");
    }

    private static String mebibytes(int bytes) {
        return bytes >= 1 << 20 ? (bytes >> 20) + " MiB" : (bytes >> 10) + " KiB";
    }

    // ---- Section 10: auto-fragmentation ---------------------------------------------------------------------------

    private static List<ConformanceCase> autoFragmentation() {
        byte[] payload = filled(65536, (byte) '*');
        return List.of(echo("10.1.1", "64 KiB text message in fragments of 1300 bytes",
                "§5.4 a fragmented message is reassembled and echoed", List.of(new Step.Message(false, payload, 1300)),
                List.of(Event.Message.text(payload)), ConformanceCase.Ending.DROP));
    }

    // ---- Sections 12 and 13: permessage-deflate --------------------------------------------------------------------

    /** Autobahn's message sizes and fragment sizes (0: unfragmented), in its order. */
    private static final int[][] DEFLATE_SIZES = {{16, 0}, {64, 0}, {256, 0}, {1024, 0}, {4096, 0}, {8192, 0},
            {16384, 0}, {32768, 0}, {65536, 0}, {131072, 0}, {8192, 256}, {16384, 256}, {32768, 256}, {65536, 256},
            {131072, 256}, {131072, 1024}, {131072, 4096}, {131072, 32768}};

    /** What the client always accepts: a server-chosen window for its own compressor (§7.1.2.2). */
    static final String DEFAULT_OFFER = PerMessageDeflate.EXTENSION + "; client_max_window_bits";

    /** 13.1–13.7: Autobahn's client offers (server_no_context_takeover, server_max_window_bits), in its order. */
    public static final List<String> DEFLATE_OFFERS = List.of(
            DEFAULT_OFFER,
            DEFAULT_OFFER + "; server_no_context_takeover",
            DEFAULT_OFFER + "; server_max_window_bits=9",
            DEFAULT_OFFER + "; server_max_window_bits=15",
            DEFAULT_OFFER + "; server_no_context_takeover; server_max_window_bits=9",
            DEFAULT_OFFER + "; server_no_context_takeover; server_max_window_bits=15",
            DEFAULT_OFFER + "; server_no_context_takeover; server_max_window_bits=9, "
                    + DEFAULT_OFFER + "; server_no_context_takeover, " + DEFAULT_OFFER);

    private static ConformanceCase deflateCase(String id, DeflateData data, int[] size, String offer, String offerWords) {
        List<Step> steps = new ArrayList<>();
        List<Event> echoes = new ArrayList<>();
        for (int m = 0; m < DEFLATE_MESSAGES; m++) {
            byte[] payload = data.slice(m * size[0], size[0]);
            steps.add(new Step.Message(data.binary(), payload, size[1]));
            echoes.add(message(data.binary(), payload));
        }
        return new ConformanceCase(id, DEFLATE_MESSAGES + " compressed " + (data.binary() ? "binary" : "text")
                + " messages of " + size[0] + " bytes" + (size[1] == 0 ? "" : " in fragments of " + size[1] + " bytes")
                + ", " + offerWords, "RFC 7692 §7: messages compressed with the negotiated parameters are echoed;"
                + " §7.1 the response stays within the offer", steps, ok(echoes), ExpectedClose.clientCloses(),
                ConformanceCase.Kind.DEFLATE, ConformanceCase.Ending.CLOSE, DEFLATE_REACTION, offer);
    }

    /** Generated stand-ins for Autobahn's test files (which are not part of this suite), seeded so every run sends the same. */
    record DeflateData(String title, boolean binary, byte[] bytes) {
        private static final int SIZE = 192 * 1024;

        static List<DeflateData> all() {
            return List.of(new DeflateData("generated JSON records (text)", false, json()),
                    new DeflateData("seeded random bytes, incompressible (binary)", true, random()),
                    new DeflateData("generated English-like prose (binary)", true, prose()));
        }

        /** {@code length} bytes from {@code offset}, wrapping round, as Autobahn slices its file. */
        byte[] slice(int offset, int length) {
            byte[] out = new byte[length];
            for (int i = 0; i < length; i++) {
                out[i] = bytes[(offset + i) % bytes.length];
            }
            return out;
        }

        private static byte[] json() {
            Random random = new Random(12);
            StringBuilder sb = new StringBuilder("[");
            for (int id = 0; sb.length() < SIZE; id++) {
                sb.append("{\"id\":").append(id).append(",\"name\":\"user-").append(random.nextInt(10_000))
                        .append("\",\"active\":").append(random.nextBoolean()).append(",\"score\":")
                        .append(random.nextInt(1000) / 10.0).append(",\"tags\":[\"t").append(random.nextInt(20))
                        .append("\",\"t").append(random.nextInt(20)).append("\"]},\n");
            }
            return ascii(sb.append("{}]").toString());
        }

        private static byte[] random() {
            byte[] bytes = new byte[SIZE];
            new Random(13).nextBytes(bytes);
            return bytes;
        }

        private static byte[] prose() {
            String[] words = {"the", "of", "and", "to", "in", "a", "is", "that", "for", "it", "as", "was", "with",
                    "be", "by", "on", "not", "he", "this", "are", "or", "his", "from", "at", "which", "but", "have",
                    "an", "they", "you", "were", "her", "she", "there", "would", "their", "we", "him", "been", "has"};
            Random random = new Random(14);
            StringBuilder sb = new StringBuilder();
            while (sb.length() < SIZE) {
                sb.append(words[random.nextInt(words.length)]).append(random.nextInt(12) == 0 ? ".\n" : " ");
            }
            return ascii(sb.toString());
        }
    }

    // ---- This suite's own cases ----------------------------------------------------------------------------------

    private static List<ConformanceCase> ownCases(int maxMessageBytes) {
        List<ConformanceCase> cases = new ArrayList<>();
        cases.add(fail("ws.1", "unmasked text frame",
                "§5.1 the server MUST close the connection on an unmasked frame; MAY send 1002",
                List.of(send(Frame.of(Opcode.TEXT, HELLO).withMasked(false))), List.of(), null, PROTOCOL_ERROR));
        String rfc = "§10.4 MUST protect itself against messages over its limits; §7.4.1 code 1009";
        byte[] oversize = filled(maxMessageBytes + 1, (byte) 'x');
        cases.add(fail("ws.2", "binary message of maxMessageBytes+1 = " + oversize.length + " bytes in one frame", rfc,
                List.of(send(Frame.binary(oversize))), List.of(), null, MESSAGE_TOO_BIG));
        int fragment = (oversize.length + OVERSIZE_FRAGMENTS - 1) / OVERSIZE_FRAGMENTS;
        cases.add(fail("ws.3", "binary message of maxMessageBytes+1 = " + oversize.length + " bytes in "
                + OVERSIZE_FRAGMENTS + " fragments, each under the limit", rfc,
                List.of(new Step.Message(true, oversize, fragment)), List.of(), null, MESSAGE_TOO_BIG));
        return cases;
    }

    // ---- Building blocks -----------------------------------------------------------------------------------------

    private static ConformanceCase echo(String id, String description, String rfc, List<Step> steps, List<Event> events,
            ConformanceCase.Ending ending) {
        return checked(id, description, rfc, steps, ok(events), ExpectedClose.clientCloses(), ending);
    }

    /** Invalid input the server must fail on; {@code nonStrict} null when Autobahn allows no NON-STRICT answer. */
    private static ConformanceCase fail(String id, String description, String rfc, List<Step> steps, List<Event> okEvents,
            List<Event> nonStrict, int code) {
        Map<Behaviour, List<Event>> expected = ok(okEvents);
        if (nonStrict != null) {
            expected.put(Behaviour.NON_STRICT, nonStrict);
        }
        return checked(id, description, rfc, steps, expected, ExpectedClose.serverFails(code), ConformanceCase.Ending.DROP);
    }

    private static ConformanceCase checked(String id, String description, String rfc, List<Step> steps,
            Map<Behaviour, List<Event>> expected, ExpectedClose close, ConformanceCase.Ending ending) {
        return new ConformanceCase(id, description, rfc, steps, expected, close, ConformanceCase.Kind.CHECKED, ending,
                null, "");
    }

    private static Map<Behaviour, List<Event>> ok(List<Event> events) {
        Map<Behaviour, List<Event>> expected = new LinkedHashMap<>();
        expected.put(Behaviour.OK, events);
        return expected;
    }

    /** What the cases built by {@link #afterEcho} say about how they differ from Autobahn's. */
    private static final String AFTER_ECHO = "; unlike Autobahn, which writes all the frames back to back, the bad"
            + " frame goes out only once the first message is echoed (or the response timeout passed): a server that"
            + " fails with our frames unread resets TCP, and the reset could discard that echo, flipping OK and"
            + " NON-STRICT from run to run";

    /** A valid message, a wait for its echo, then the frames the server must fail on; both parts written by chop. */
    private static List<Step> afterEcho(List<Frame> valid, List<Frame> bad, int chop) {
        return List.of(new Step.Send(valid, chop), new Step.AwaitEcho(1), new Step.Send(bad, chop));
    }

    private static Step send(Frame... frames) {
        return new Step.Send(List.of(frames), Step.BATCHED);
    }

    private static Frame frag(int opcode, String payload, boolean fin) {
        return Frame.of(opcode, ascii(payload)).withFin(fin);
    }

    private static Event message(boolean binary, byte[] payload) {
        return new Event.Message(binary, payload);
    }

    static byte[] filled(int length, byte value) {
        byte[] bytes = new byte[length];
        Arrays.fill(bytes, value);
        return bytes;
    }

    private static byte[] repeat(byte[] unit, int length) {
        byte[] out = new byte[length];
        for (int i = 0; i < length; i++) {
            out[i] = unit[i % unit.length];
        }
        return out;
    }

    static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static String hex(byte[] bytes) {
        return java.util.HexFormat.of().formatHex(bytes);
    }

    private static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
