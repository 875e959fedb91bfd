package io.wsbench.conformance;

import io.wsbench.wire.Frame;

import java.time.Duration;
import java.util.List;

/** What the server did with a case's input, as seen from the client's side of the socket. */
public sealed interface Outcome {

    /** How many received frames a description lists before summarising the rest. */
    int FRAMES_SHOWN = 4;

    /** Short text for the report's "observed" column. */
    String describe();

    /** The server sent back exactly what a server accepting the input would send (echo, pong). */
    record Echoed(List<Frame> frames) implements Outcome {
        public Echoed {
            frames = List.copyOf(frames);
        }

        @Override
        public String describe() {
            return "ECHOED: " + summarise(frames);
        }
    }

    /** The server sent a close frame with a status code, after the frames in {@code before}. */
    record Closed(int code, String reason, List<Frame> before) implements Outcome {
        public Closed {
            before = List.copyOf(before);
        }

        @Override
        public String describe() {
            return "CLOSED(" + code + (reason.isEmpty() ? "" : " \"" + reason + "\"") + ")" + after(before);
        }
    }

    /** The server sent a close frame with an empty body (no status code), after {@code before}. */
    record ClosedNoCode(List<Frame> before) implements Outcome {
        public ClosedNoCode {
            before = List.copyOf(before);
        }

        @Override
        public String describe() {
            return "CLOSED_NO_CODE" + after(before);
        }
    }

    /** The TCP connection ended (EOF or reset, as {@code how} says) without a close frame. */
    record TcpClosedWithoutCloseFrame(String how, List<Frame> before) implements Outcome {
        public TcpClosedWithoutCloseFrame {
            before = List.copyOf(before);
        }

        @Override
        public String describe() {
            return "TCP_CLOSED_WITHOUT_CLOSE_FRAME (" + how + ")" + after(before);
        }
    }

    /** Nothing arrived and the connection stayed open for {@code waited}. */
    record NoResponse(Duration waited) implements Outcome {
        @Override
        public String describe() {
            return "NO_RESPONSE (" + waited.toMillis() + " ms)";
        }
    }

    /** Something arrived that fits none of the above: other replies, a malformed close, a masked frame. */
    record Unexpected(String why, List<Frame> frames) implements Outcome {
        public Unexpected {
            frames = List.copyOf(frames);
        }

        @Override
        public String describe() {
            return "UNEXPECTED (" + why + ")" + (frames.isEmpty() ? "" : ": " + summarise(frames));
        }
    }

    private static String after(List<Frame> before) {
        return before.isEmpty() ? "" : " after " + summarise(before);
    }

    /** The first few frames described, and how many more there were. */
    static String summarise(List<Frame> frames) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(frames.size(), FRAMES_SHOWN); i++) {
            sb.append(i == 0 ? "" : "; ").append(frames.get(i).describe());
        }
        if (frames.size() > FRAMES_SHOWN) {
            sb.append("; … ").append(frames.size() - FRAMES_SHOWN).append(" more");
        }
        return sb.toString();
    }
}
