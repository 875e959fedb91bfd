package io.wsbench.conformance;

import java.time.Duration;
import java.util.List;

/**
 * One case run against one server.
 *
 * @param testCase       the case
 * @param verdict        Autobahn's verdicts; null when the case could not be run ({@code problem} says why)
 * @param close          how the connection ended; null when not run
 * @param events         what came back, in order
 * @param transcript     the frames sent and received, the first few of each
 * @param extensions     the server's Sec-WebSocket-Extensions answer, "" for none
 * @param echoTime       from the first byte sent to the last expected event, for the timed cases; else null
 * @param notes          side observations, e.g. the server closed while our frames were still being written
 * @param stillUp        whether a fresh connection was served after the case
 * @param elapsed        wall time of the case including the still-up check
 * @param problem        "harness error: ..." or "not run: ...", else null
 * @param harnessFailure the exception behind a harness error, else null
 */
public record CaseResult(ConformanceCase testCase, Verdict verdict, CloseRecord close, List<Event> events,
        Transcript transcript, String extensions, Duration echoTime, List<String> notes, StillUp stillUp,
        Duration elapsed, String problem, Throwable harnessFailure) {

    public CaseResult {
        events = List.copyOf(events);
        notes = List.copyOf(notes);
    }

    static CaseResult notRun(ConformanceCase testCase, String why) {
        return new CaseResult(testCase, null, null, List.of(), Transcript.EMPTY, "", null, List.of(),
                new StillUp(false, "not checked"), Duration.ZERO, "not run: " + why, null);
    }

    /** The harness failed or the server stopped serving: the two things that make a run untrustworthy. */
    public boolean isProblem() {
        return problem != null || !stillUp.up();
    }

    /**
     * The frames of a case, described one per line; the first {@link #SHOWN} of each direction, and how many there
     * were in all.
     */
    public record Transcript(List<String> sent, long sentFrames, List<String> received, long receivedFrames) {
        public static final int SHOWN = 40;
        static final Transcript EMPTY = new Transcript(List.of(), 0, List.of(), 0);

        public Transcript {
            sent = List.copyOf(sent);
            received = List.copyOf(received);
        }
    }
}
