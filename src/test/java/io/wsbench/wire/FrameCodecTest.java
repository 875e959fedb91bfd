package io.wsbench.wire;


import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class FrameCodecTest {

    private static final int LIMIT = 1 << 20;

    @ParameterizedTest(name = "{1} bytes as {0}")
    @CsvSource({
            "SEVEN_BIT, 0", "SEVEN_BIT, 125",
            "SIXTEEN_BIT, 0", "SIXTEEN_BIT, 126", "SIXTEEN_BIT, 65535",
            "SIXTY_FOUR_BIT, 0", "SIXTY_FOUR_BIT, 65536", "SIXTY_FOUR_BIT, 70000"})
    void roundTripsEveryLengthEncodingMaskedAndUnmasked(LengthEncoding encoding, int length) throws IOException {
        byte[] payload = pattern(length);
        for (boolean masked : new boolean[] {true, false}) {
            Frame frame = new Frame(true, 0, Opcode.BINARY, masked, payload, encoding);
            byte[] wire = new FrameCodec(new Random(42)).encode(frame);

            Frame parsed = FrameCodec.decode(new ByteArrayInputStream(wire), LIMIT);

            assertThat(parsed).isEqualTo(frame);
            int headerLength = 2 + switch (encoding) {
                case SEVEN_BIT -> 0;
                case SIXTEEN_BIT -> 2;
                default -> 8;
            } + (masked ? 4 : 0);
            assertThat(wire).hasSize(headerLength + length);
        }
    }

    @ParameterizedTest(name = "{0} bytes → length field {1}")
    @CsvSource({"0, 0", "125, 125", "126, 126", "65535, 126", "65536, 127"})
    void minimalEncodingPicksTheShortestLengthField(int length, int lengthField) {
        byte[] wire = FrameCodec.encode(Frame.binary(new byte[length]).withMasked(false), new byte[4]);
        assertThat(wire[1] & 0x7F).isEqualTo(lengthField);
    }

    @Test
    void writesHeaderBitsExactlyAsGiven() {
        Frame frame = new Frame(false, 5, 0xB, true, new byte[] {1, 2}, LengthEncoding.MINIMAL);
        byte[] wire = FrameCodec.encode(frame, new byte[] {9, 9, 9, 9});
        // FIN=0, RSV1=1, RSV2=0, RSV3=1, opcode 0xB; MASK=1, length 2
        assertThat(wire[0] & 0xFF).isEqualTo(0b0101_1011);
        assertThat(wire[1] & 0xFF).isEqualTo(0x80 | 2);
    }

    @Test
    void masksThePayloadWithTheKeyAndPutsTheKeyBeforeIt() {
        byte[] key = {0x37, (byte) 0xFA, 0x21, 0x3D};
        // RFC 6455 §5.7: a masked "Hello" from a client
        byte[] wire = FrameCodec.encode(Frame.text("Hello"), key);
        assertThat(wire).containsExactly(0x81, 0x85, 0x37, 0xFA, 0x21, 0x3D, 0x7F, 0x9F, 0x4D, 0x51, 0x58);
    }

    @Test
    void decodesTheRfcUnmaskedExample() throws IOException {
        byte[] wire = {(byte) 0x81, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f};
        Frame frame = FrameCodec.decode(new ByteArrayInputStream(wire), LIMIT);
        assertThat(frame.opcode()).isEqualTo(Opcode.TEXT);
        assertThat(frame.fin()).isTrue();
        assertThat(frame.masked()).isFalse();
        assertThat(new String(frame.payload(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("Hello");
    }

    @Test
    void usesAFreshRandomKeyForEveryFrame() {
        FrameCodec codec = new FrameCodec();
        Frame frame = Frame.binary(new byte[8]);
        byte[] first = codec.encode(frame);
        byte[] second = codec.encode(frame);
        // With an all-zero payload the masked payload is the key repeated, so equal frames would mean equal keys.
        assertThat(Arrays.copyOfRange(first, 2, 6)).isNotEqualTo(Arrays.copyOfRange(second, 2, 6));
    }

    @Test
    void refusesALengthEncodingTooShortForThePayload() {
        assertThatThrownBy(() -> Frame.binary(new byte[126]).withLengthEncoding(LengthEncoding.SEVEN_BIT))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("126 bytes does not fit the SEVEN_BIT");
    }

    @Test
    void reportsEndOfStreamBetweenAndInsideFrames() {
        assertThatThrownBy(() -> FrameCodec.decode(new ByteArrayInputStream(new byte[0]), LIMIT))
                .isInstanceOf(EOFException.class).hasMessageContaining("between frames");
        byte[] truncated = {(byte) 0x81, 0x05, 0x48};
        assertThatThrownBy(() -> FrameCodec.decode(new ByteArrayInputStream(truncated), LIMIT))
                .isInstanceOf(EOFException.class).hasMessageContaining("after 1 of 5 bytes");
    }

    @Test
    void refusesDeclaredLengthsOverTheLimitOrWithTheTopBitSet() {
        byte[] big = {(byte) 0x82, 127, 0, 0, 0, 0, 0, 0x20, 0, 0};
        assertThatThrownBy(() -> FrameCodec.decode(new ByteArrayInputStream(big), LIMIT))
                .isInstanceOf(MalformedFrameException.class).hasMessageContaining("over the reader's limit");
        byte[] negative = {(byte) 0x82, 127, (byte) 0x80, 0, 0, 0, 0, 0, 0, 0};
        assertThatThrownBy(() -> FrameCodec.decode(new ByteArrayInputStream(negative), LIMIT))
                .isInstanceOf(MalformedFrameException.class).hasMessageContaining("most significant bit");
    }

    @Test
    void aTimeoutBeforeAFrameLeavesTheStreamUsableButOneInsideAFrameIsReported() {
        InputStream silent = new InputStream() {
            @Override
            public int read() throws IOException {
                throw new SocketTimeoutException("Read timed out");
            }
        };
        assertThatThrownBy(() -> FrameCodec.decode(silent, LIMIT)).isInstanceOf(SocketTimeoutException.class);

        InputStream stalls = new InputStream() {
            private boolean first = true;

            @Override
            public int read() throws IOException {
                if (first) {
                    first = false;
                    return 0x81;
                }
                throw new SocketTimeoutException("Read timed out");
            }
        };
        assertThatThrownBy(() -> FrameCodec.decode(stalls, LIMIT))
                .isInstanceOf(MalformedFrameException.class).hasMessageContaining("text frame stalled part-way");
    }

    @Test
    void readsConsecutiveFramesFromOneStream() throws IOException {
        FrameCodec codec = new FrameCodec();
        byte[] one = codec.encode(Frame.text("one").withFin(false));
        byte[] two = codec.encode(Frame.continuation("two".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        byte[] both = Arrays.copyOf(one, one.length + two.length);
        System.arraycopy(two, 0, both, one.length, two.length);
        InputStream in = new ByteArrayInputStream(both);

        assertThat(FrameCodec.decode(in, LIMIT).describe()).isEqualTo("text nofin masked len=3 \"one\"");
        assertThat(FrameCodec.decode(in, LIMIT).describe()).isEqualTo("continuation fin masked len=3 \"two\"");
    }

    private static byte[] pattern(int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) ('a' + i % 26);
        }
        return bytes;
    }
}
