package io.wsbench.conformance;

import io.wsbench.conformance.cases.CloseRecord;
import io.wsbench.conformance.cases.ConformanceCase;
import io.wsbench.conformance.cases.Event;
import io.wsbench.conformance.cases.Verdict;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
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
     * The frames of a case, described one per line: all of each direction when there are at most
     * {@link #SHOWN_HEAD} + {@link #SHOWN_TAIL}, else the first {@link #SHOWN_HEAD} and the last {@link #SHOWN_TAIL};
     * and how many there were in all.
     */
    public record Transcript(List<String> sent, long sentFrames, List<String> received, long receivedFrames) {
        /** Enough to show how a case starts (the bad frame is at most the third); the tail shows how it ended. */
        public static final int SHOWN_HEAD = 4;
        public static final int SHOWN_TAIL = 4;
        static final Transcript EMPTY = new Transcript(List.of(), 0, List.of(), 0);

        public Transcript {
            sent = List.copyOf(sent);
            received = List.copyOf(received);
        }

        /** Collects one direction's lines, keeping the first and last few. Not thread-safe. */
        static final class Log {
            private final List<String> head = new ArrayList<>();
            private final ArrayDeque<String> tail = new ArrayDeque<>();
            private long count;

            void add(String line) {
                count++;
                if (head.size() < SHOWN_HEAD) {
                    head.add(line);
                    return;
                }
                if (tail.size() == SHOWN_TAIL) {
                    tail.removeFirst();
                }
                tail.addLast(line);
            }

            long count() {
                return count;
            }

            List<String> shown() {
                List<String> lines = new ArrayList<>(head);
                lines.addAll(tail);
                return lines;
            }
        }
    }
}
