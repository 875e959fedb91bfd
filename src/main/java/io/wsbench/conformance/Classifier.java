package io.wsbench.conformance;

import io.wsbench.wire.Frame;
import io.wsbench.wire.Opcode;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Turns what a case's connection received into an {@link Outcome}, and an outcome into a
 * {@link Verdict} against what RFC 6455 expects. Pure functions, so that they can be tested
 * without a server.
 */
public final class Classifier {

    /** Why the client stopped reading. */
    public enum Ending {
        /** The last received frame is a close frame. */
        CLOSE_FRAME,
        /** Everything a server accepting the input would send has arrived. */
        ACCEPTING_REPLIES_COMPLETE,
        /** The server closed its side of TCP (read returned end of stream). */
        EOF,
        /** The TCP connection was reset or otherwise failed. */
        RESET,
        /** Nothing more arrived before the case's time ran out. */
        TIMEOUT,
        /** The server sent bytes that don't parse as a frame. */
        MALFORMED_FRAME
    }

    private Classifier() {
    }

    /**
     * @param received         frames in arrival order (the last is the close frame for {@code CLOSE_FRAME})
     * @param ending           why reading stopped
     * @param detail           the I/O error message for {@code RESET} and {@code MALFORMED_FRAME}
     * @param waited           how long the client waited, for {@code NO_RESPONSE}
     * @param acceptingReplies what a server that took the input as valid would send; may be empty
     */
    public static Outcome classify(List<Frame> received, Ending ending, String detail, Duration waited,
            List<Frame> acceptingReplies) {
        for (Frame frame : received) {
            if (frame.masked()) {
                return new Outcome.Unexpected("server masked a frame, forbidden by §5.1", received);
            }
        }
        switch (ending) {
            case MALFORMED_FRAME:
                return new Outcome.Unexpected("unparseable frame: " + detail, received);
            case EOF:
                return new Outcome.TcpClosedWithoutCloseFrame("EOF", received);
            case RESET:
                return new Outcome.TcpClosedWithoutCloseFrame("reset: " + detail, received);
            case CLOSE_FRAME:
                return closed(received);
            case ACCEPTING_REPLIES_COMPLETE:
            case TIMEOUT:
                if (!acceptingReplies.isEmpty() && repliesMatch(acceptingReplies, received)) {
                    return new Outcome.Echoed(received);
                }
                if (received.isEmpty()) {
                    return new Outcome.NoResponse(waited);
                }
                return new Outcome.Unexpected(acceptingReplies.isEmpty()
                        ? "replied and kept the connection open"
                        : "replies differ from the expected echo", received);
            default:
                throw new IllegalArgumentException("unhandled ending " + ending);
        }
    }

    private static Outcome closed(List<Frame> received) {
        if (received.isEmpty() || received.get(received.size() - 1).opcode() != Opcode.CLOSE) {
            throw new IllegalArgumentException("ending CLOSE_FRAME needs a close frame last, got " + received);
        }
        Frame close = received.get(received.size() - 1);
        List<Frame> before = received.subList(0, received.size() - 1);
        if (close.payloadLength() == 0) {
            return new Outcome.ClosedNoCode(before);
        }
        if (close.payloadLength() == 1) {
            return new Outcome.Unexpected("close frame with a 1-byte body, forbidden by §5.5.1", received);
        }
        return new Outcome.Closed(close.closeCode(), close.closeReason(), before);
    }

    /** Judges {@code outcome} against {@code expected}; see the report's legend for the labels. */
    public static Verdict judge(Expected expected, Outcome outcome, List<Frame> acceptingReplies) {
        if (expected instanceof Expected.Reply) {
            return judgeReply(outcome);
        }
        if (expected instanceof Expected.FailConnection fail) {
            return judgeFailure(fail, outcome, acceptingReplies);
        }
        if (expected instanceof Expected.CloseReply closeReply) {
            return judgeCloseReply(closeReply, outcome);
        }
        throw new IllegalArgumentException("unhandled expectation " + expected);
    }

    private static Verdict judgeReply(Outcome outcome) {
        if (outcome instanceof Outcome.Echoed) {
            return Verdict.conforms();
        }
        if (outcome instanceof Outcome.Closed closed) {
            return Verdict.deviates("closed " + closed.code());
        }
        if (outcome instanceof Outcome.ClosedNoCode) {
            return Verdict.deviates("closed");
        }
        return commonDeviation(outcome);
    }

    private static Verdict judgeFailure(Expected.FailConnection fail, Outcome outcome, List<Frame> acceptingReplies) {
        if (outcome instanceof Outcome.Echoed) {
            return Verdict.deviates("accepted");
        }
        List<Frame> before = List.of();
        Verdict closedVerdict = null;
        if (outcome instanceof Outcome.Closed closed) {
            before = closed.before();
            closedVerdict = fail.accepts(closed.code()) ? Verdict.conforms() : Verdict.deviates("code " + closed.code());
        } else if (outcome instanceof Outcome.ClosedNoCode closedNoCode) {
            before = closedNoCode.before();
            closedVerdict = Verdict.conforms("no code");
        } else if (outcome instanceof Outcome.TcpClosedWithoutCloseFrame dropped) {
            before = dropped.before();
            closedVerdict = Verdict.conforms("dropped");
        }
        if (closedVerdict == null) {
            return commonDeviation(outcome);
        }
        // Echoing valid leading fragments before failing is fine; echoing the whole invalid input is not.
        if (!acceptingReplies.isEmpty() && repliesMatch(acceptingReplies, before)) {
            return Verdict.deviates("accepted, then closed");
        }
        return closedVerdict;
    }

    private static Verdict judgeCloseReply(Expected.CloseReply expected, Outcome outcome) {
        // §5.5.1 requires a close frame in reply; echoing the code is only what endpoints "typically" do.
        if (outcome instanceof Outcome.Closed closed) {
            return closed.code() == expected.typicalCode() ? Verdict.conforms() : Verdict.conforms("code " + closed.code());
        }
        if (outcome instanceof Outcome.ClosedNoCode) {
            return expected.typicalCode() == Expected.CloseReply.NO_CODE ? Verdict.conforms() : Verdict.conforms("no code");
        }
        if (outcome instanceof Outcome.TcpClosedWithoutCloseFrame) {
            return Verdict.deviates("dropped without close frame");
        }
        return commonDeviation(outcome);
    }

    private static Verdict commonDeviation(Outcome outcome) {
        if (outcome instanceof Outcome.TcpClosedWithoutCloseFrame) {
            return Verdict.deviates("dropped");
        }
        if (outcome instanceof Outcome.NoResponse) {
            return Verdict.deviates("no response");
        }
        if (outcome instanceof Outcome.Unexpected) {
            return Verdict.deviates("unexpected reply");
        }
        throw new IllegalArgumentException("unhandled outcome " + outcome);
    }

    /**
     * Whether {@code received} carries the same messages and the same control frames as
     * {@code expected}. Fragmentation is ignored (a server may re-fragment an echo), and so is
     * the order between control frames and messages (a pong may come before or after an echo).
     */
    public static boolean repliesMatch(List<Frame> expected, List<Frame> received) {
        return Replies.of(expected).equals(Replies.of(received));
    }

    /** Frames reduced to complete messages and control frames, for comparison. */
    private record Replies(List<Payload> messages, List<Payload> controls, boolean wellFormed) {

        static Replies of(List<Frame> frames) {
            List<Payload> messages = new ArrayList<>();
            List<Payload> controls = new ArrayList<>();
            boolean wellFormed = true;
            int messageOpcode = -1;
            ByteArrayOutputStream message = new ByteArrayOutputStream();
            for (Frame frame : frames) {
                if (frame.isControl()) {
                    controls.add(new Payload(frame.opcode(), frame.payload()));
                    continue;
                }
                boolean continuation = frame.opcode() == Opcode.CONTINUATION;
                if (continuation != (messageOpcode >= 0)) {
                    // A continuation with nothing to continue, or a new message inside an unfinished one.
                    wellFormed = false;
                }
                if (!continuation) {
                    messageOpcode = frame.opcode();
                    message.reset();
                }
                message.writeBytes(frame.payload());
                if (frame.fin()) {
                    messages.add(new Payload(messageOpcode, message.toByteArray()));
                    messageOpcode = -1;
                    message.reset();
                }
            }
            return new Replies(messages, controls, wellFormed && messageOpcode < 0);
        }
    }

    private record Payload(int opcode, byte[] bytes) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Payload p && opcode == p.opcode && Arrays.equals(bytes, p.bytes);
        }

        @Override
        public int hashCode() {
            return 31 * opcode + Arrays.hashCode(bytes);
        }
    }
}
