package io.wsbench.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import org.junit.jupiter.api.Test;

/** The sequence field of a text echo is checked byte for byte: a digit the client did not write is a damaged echo. */
class EchoPayloadTest {
    private static final long SEQUENCE = 0xabcL;

    @Test
    void anUpperCaseDigitInTheSequenceFieldIsADamagedEcho() {
        EchoPayload payload = EchoPayload.create(MessageType.TEXT, 64, 7);
        ByteBuf echo = payload.encode(ByteBufAllocator.DEFAULT, SEQUENCE, 0);
        try {
            assertThat(payload.verify(echo, SEQUENCE, 1)).isNull();
            int lastDigit = echo.readerIndex() + 15;
            assertThat((char) echo.getByte(lastDigit)).isEqualTo('c');
            echo.setByte(lastDigit, 'C');
            assertThat(payload.verify(echo, SEQUENCE, 1))
                    .isEqualTo("corrupted echo of message #" + SEQUENCE + ": its sequence field is damaged");
        } finally {
            echo.release();
        }
    }

    @Test
    void onlyTheDigitsTheClientWritesAreDigits() {
        assertThat(EchoPayload.lowerHexDigit((byte) '0')).isZero();
        assertThat(EchoPayload.lowerHexDigit((byte) 'f')).isEqualTo(15);
        assertThat(EchoPayload.lowerHexDigit((byte) 'F')).isEqualTo(-1);
        assertThat(EchoPayload.lowerHexDigit((byte) 'g')).isEqualTo(-1);
    }
}
