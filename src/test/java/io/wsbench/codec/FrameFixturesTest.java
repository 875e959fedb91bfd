package io.wsbench.codec;

import io.wsbench.codec.FrameFixtures.Message;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.Inflater;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The codec benchmarks' input: exact sizes, valid multi-byte UTF-8, and RFC 6455 headers at each length boundary. */
class FrameFixturesTest {

    @ParameterizedTest
    @CsvSource({"125, 0, 125", "126, 126, 126", "65535, 126, 65535", "65536, 127, 65536"})
    void wholeFrameHeaderUsesTheLengthEncodingOfItsSize(int payloadBytes, int lengthCode, long encodedLength) {
        Message m = FrameFixtures.messages(payloadBytes, "binary", 1, false, false)[0];

        byte[] wire = m.wire();
        assertThat(wire[0] & 0xFF).isEqualTo(0x80 | FrameFixtures.OPCODE_BINARY);
        int code = wire[1] & 0x7F;
        assertThat(code).isEqualTo(lengthCode == 0 ? payloadBytes : lengthCode);
        int headerLength = code < 126 ? 2 : code == 126 ? 4 : 10;
        long length = code < 126 ? code : new java.math.BigInteger(1, Arrays.copyOfRange(wire, 2, headerLength)).longValueExact();
        assertThat(length).isEqualTo(encodedLength);
        assertThat(Arrays.copyOfRange(wire, headerLength, wire.length)).isEqualTo(m.payload());
    }

    @Test
    void textIsValidUtf8OfExactLengthWithMultiByteCodePoints() throws Exception {
        for (Message m : FrameFixtures.messages(4096, "text", 1, false, false)) {
            assertThat(m.payload()).hasSize(4096);
            String decoded = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(m.payload())).toString();
            assertThat(decoded).isEqualTo(m.text());
            assertThat(decoded.codePoints().filter(c -> c > 0x7F).count()).isPositive();
            assertThat(decoded.codePoints().filter(c -> c > 0xFFFF).count()).isPositive();
        }
    }

    @Test
    void maskedFragmentsUnmaskBackToThePayload() {
        Message m = FrameFixtures.messages(400, "text", 4, true, false)[3];

        ByteArrayOutputStream unmasked = new ByteArrayOutputStream();
        int at = 0;
        for (int f = 0; f < m.frames(); f++) {
            assertThat(m.wire()[at] & 0x0F).isEqualTo(f == 0 ? FrameFixtures.OPCODE_TEXT : FrameFixtures.OPCODE_CONTINUATION);
            assertThat((m.wire()[at] & 0x80) != 0).isEqualTo(f == 3);
            assertThat(m.wire()[at + 1] & 0x80).isEqualTo(0x80);
            int length = m.wire()[at + 1] & 0x7F;
            assertThat(length).isEqualTo(m.fragmentLength(f)).isEqualTo(100);
            byte[] mask = Arrays.copyOfRange(m.wire(), at + 2, at + 6);
            assertThat(mask).isEqualTo(Message.maskBytes(m.maskKeys()[f]));
            for (int i = 0; i < length; i++) {
                unmasked.write(m.wire()[at + 6 + i] ^ mask[i & 3]);
            }
            at += 6 + length;
        }
        assertThat(at).isEqualTo(m.wire().length);
        assertThat(unmasked.toByteArray()).isEqualTo(m.payload());
        assertThat(String.join("", m.textFragments())).isEqualTo(m.text());
    }

    @Test
    void deflatedMessageHasRsv1AndInflatesBack() throws Exception {
        Message m = FrameFixtures.messages(2000, "text", 1, false, true)[0];

        assertThat(m.wire()[0] & 0x40).isEqualTo(0x40);
        int length = m.wire()[1] & 0x7F;
        int start = length < 126 ? 2 : 4;
        Inflater inflater = new Inflater(true);
        inflater.setInput(Arrays.copyOfRange(m.wire(), start, m.wire().length));
        byte[] out = new byte[4000];
        int n = inflater.inflate(out);
        inflater.end();
        assertThat(Arrays.copyOf(out, n)).isEqualTo(m.payload());
    }

    @Test
    void badParametersNameTheFix() {
        assertThatThrownBy(() -> FrameFixtures.messages(125, "json", 1, false, false))
                .hasMessageContaining("-p type=text");
        assertThatThrownBy(() -> FrameFixtures.messages(3, "binary", 4, false, false))
                .hasMessageContaining("fragments must be between 1 and payloadBytes");
    }

    @Test
    void slowdownSwitchAcceptsNanosAndRejectsNonsense() {
        assertThat(InjectedSlowdown.parse(null)).isZero();
        assertThat(InjectedSlowdown.parse(" ")).isZero();
        assertThat(InjectedSlowdown.parse("200")).isEqualTo(200);
        assertThatThrownBy(() -> InjectedSlowdown.parse("-5")).hasMessageContaining("whole number of nanoseconds >= 0");
        assertThatThrownBy(() -> InjectedSlowdown.parse("fast")).hasMessageContaining("-Dwsbench.inject.frameSlowdownNanos=200");
    }
}
