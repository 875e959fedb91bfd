package io.wsbench.conformance;

import java.util.Set;
import java.util.TreeSet;

/** What RFC 6455 requires a server to do with a case's input. */
public sealed interface Expected {

    /** Short text for the report's "expected" column. */
    String describe();

    /** The input is valid: the server must answer with the case's accepting replies (an echo, a pong). */
    record Reply() implements Expected {
        @Override
        public String describe() {
            return "reply (echo/pong)";
        }
    }

    /**
     * The server must <em>Fail the WebSocket Connection</em> (§7.1.7): it SHOULD send a close frame
     * with {@code code} and then close TCP, but closing TCP alone also satisfies the MUST.
     *
     * @param code         the status code §7.4.1 assigns to this failure
     * @param alsoAccepted other codes that are equally defensible for this input
     */
    record FailConnection(int code, Set<Integer> alsoAccepted) implements Expected {
        public FailConnection {
            alsoAccepted = Set.copyOf(alsoAccepted);
        }

        public FailConnection(int code) {
            this(code, Set.of());
        }

        public boolean accepts(int closeCode) {
            return closeCode == code || alsoAccepted.contains(closeCode);
        }

        @Override
        public String describe() {
            StringBuilder codes = new StringBuilder(Integer.toString(code));
            for (int other : new TreeSet<>(alsoAccepted)) {
                codes.append('/').append(other);
            }
            return "fail: close " + codes + " or drop";
        }
    }

    /**
     * The client sent a valid close frame: the server MUST answer with a close frame (§5.5.1),
     * typically echoing the client's status code.
     *
     * @param typicalCode the client's code, or {@link #NO_CODE} when its close frame had no body
     */
    record CloseReply(int typicalCode) implements Expected {
        public static final int NO_CODE = -1;

        @Override
        public String describe() {
            return "close reply (" + (typicalCode == NO_CODE ? "no code" : typicalCode) + ")";
        }
    }
}
