package io.wsbench.conformance.cases;

import io.wsbench.wire.Frame;
import io.wsbench.wire.Opcode;

import java.util.Arrays;
import java.util.Objects;

/**
 * Something the client saw on a case's connection, in Autobahn's terms: a whole message, a pong or a ping, a pause
 * the connection stayed open through, or something the server sent that is not a valid frame sequence.
 */
public sealed interface Event {

    /** Short text for the report. */
    String describe();

    /** A complete (reassembled, inflated) text or binary message. The payload is kept, not copied. */
    record Message(boolean binary, byte[] payload) implements Event {
        public Message {
            Objects.requireNonNull(payload, "payload");
        }

        static Message text(byte[] payload) {
            return new Message(false, payload);
        }

        static Message binary(byte[] payload) {
            return new Message(true, payload);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Message m && binary == m.binary && Arrays.equals(payload, m.payload);
        }

        @Override
        public int hashCode() {
            return 31 * Boolean.hashCode(binary) + Arrays.hashCode(payload);
        }

        @Override
        public String describe() {
            return Frame.of(binary ? Opcode.BINARY : Opcode.TEXT, payload).describe().replace(" masked", "")
                    .replaceFirst(" fin", " message");
        }
    }

    /** A pong carrying {@code payload}. */
    record Pong(byte[] payload) implements Event {
        @Override
        public boolean equals(Object o) {
            return o instanceof Pong p && Arrays.equals(payload, p.payload);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(payload);
        }

        @Override
        public String describe() {
            return Frame.pong(payload).describe().replace(" masked", "");
        }
    }

    /** A ping from the server (answered with a pong by the client). */
    record Ping(byte[] payload) implements Event {
        @Override
        public boolean equals(Object o) {
            return o instanceof Ping p && Arrays.equals(payload, p.payload);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(payload);
        }

        @Override
        public String describe() {
            return Frame.ping(payload).describe().replace(" masked", "");
        }
    }

    /** The connection was still open at the end of the pause named {@code label} (Autobahn's "timeout" event). */
    record StillOpenAfterPause(String label) implements Event {
        @Override
        public String describe() {
            return "still open after pause " + label;
        }
    }

    /** The server sent frames that break RFC 6455 (masked, a stray continuation, undecodable compression). */
    record Invalid(String why) implements Event {
        @Override
        public String describe() {
            return "invalid from the server: " + why;
        }
    }
}
