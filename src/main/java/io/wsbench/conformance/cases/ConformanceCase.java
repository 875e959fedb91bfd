package io.wsbench.conformance.cases;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One case, numbered as in Autobahn|Testsuite: what the client does on a fresh connection, and the events and close
 * a server must produce for each verdict.
 *
 * @param id          Autobahn's number, e.g. {@code 6.4.1} ({@code ws.N} for this suite's own cases)
 * @param description what is sent, in words
 * @param rfc         the RFC 6455 / RFC 7692 section(s) behind the expectation and how strong it is
 * @param steps       what the client does, in order
 * @param expected    the events (in order) that earn each verdict, tried in order: OK first, then NON-STRICT
 * @param close       how the connection must end
 * @param kind        how the verdict is reached
 * @param ending      what the client does once the server has had its time: close or drop
 * @param reaction    how long the server has after the last step, or null for the suite's response timeout
 * @param deflateOffer the Sec-WebSocket-Extensions offer of a permessage-deflate case, "" for none
 */
public record ConformanceCase(String id, String description, String rfc, List<Step> steps,
        Map<Behaviour, List<Event>> expected, ExpectedClose close, Kind kind, Ending ending, Duration reaction,
        String deflateOffer) {

    public enum Kind {
        /** Autobahn's verdict from the expected events and close. */
        CHECKED,
        /** Run and shown, both verdicts INFORMATIONAL: the RFC leaves the outcome open. */
        INFORMATIONAL,
        /** Section 9: the echo is checked and its time reported; the time is never part of the verdict. */
        TIMED,
        /** Sections 12–13: UNIMPLEMENTED when the server declines the offer. */
        DEFLATE
    }

    /** What the client does when the server's time after the last step is up. */
    public enum Ending {
        /** Start the closing handshake with the first expected code (Autobahn's closeAfter). */
        CLOSE,
        /** Drop TCP (Autobahn's killAfter). */
        DROP
    }

    public ConformanceCase {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(rfc, "rfc");
        Objects.requireNonNull(close, "close");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(ending, "ending");
        Objects.requireNonNull(deflateOffer, "deflateOffer");
        steps = List.copyOf(steps);
        Map<Behaviour, List<Event>> copy = new LinkedHashMap<>();
        expected.forEach((behaviour, events) -> copy.put(behaviour, List.copyOf(events)));
        expected = java.util.Collections.unmodifiableMap(copy);
        if (steps.isEmpty()) {
            throw new IllegalArgumentException("case " + id + " does nothing");
        }
        if (!expected.containsKey(Behaviour.OK)) {
            throw new IllegalArgumentException("case " + id + " has no OK expectation");
        }
        if (kind == Kind.DEFLATE && deflateOffer.isEmpty()) {
            throw new IllegalArgumentException("deflate case " + id + " offers no extension");
        }
    }

    /** The Autobahn section: the number before the first dot ({@code 6} for {@code 6.4.1}). */
    public String section() {
        return id.substring(0, id.indexOf('.'));
    }

    /** The subsection: all but the last number ({@code 6.4} for {@code 6.4.1}). */
    public String subsection() {
        return id.substring(0, id.lastIndexOf('.'));
    }
}
