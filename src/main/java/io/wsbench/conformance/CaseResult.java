package io.wsbench.conformance;

import java.time.Duration;
import java.util.List;

/**
 * One row of the conformance table.
 *
 * @param testCase       the case
 * @param outcome        what the server did; null when the case could not be run or judged
 * @param verdict        conforms, deviates, harness error or not run
 * @param notes          side observations, e.g. the server closed while our frames were still being written
 * @param stillUp        whether a fresh connection was served after the case
 * @param elapsed        wall time of the case including the still-up check
 * @param harnessFailure the exception behind a {@code HARNESS_ERROR} verdict, else null
 */
public record CaseResult(ConformanceCase testCase, Outcome outcome, Verdict verdict, List<String> notes,
        StillUp stillUp, Duration elapsed, Throwable harnessFailure) {

    public CaseResult {
        notes = List.copyOf(notes);
    }

    /** The harness failed or the server stopped serving: the two things that make a run untrustworthy. */
    public boolean isProblem() {
        return verdict.kind() == Verdict.Kind.HARNESS_ERROR || verdict.kind() == Verdict.Kind.NOT_RUN || !stillUp.up();
    }
}
