package io.wsbench.conformance.cases;

/**
 * Autobahn's two verdicts on a case: on what came back, and on how the connection closed.
 *
 * @param behaviour what came back, against the case's expected events
 * @param close     how the connection ended, against the case's expected close
 * @param result    why, in words
 */
public record Verdict(Behaviour behaviour, CloseBehaviour close, String result) {

    /** Anything but a clean pass: a FAILED or NON-STRICT answer, or a close that is not OK. */
    public boolean isDeviation() {
        boolean answer = behaviour == Behaviour.FAILED || behaviour == Behaviour.NON_STRICT;
        boolean closing = close != CloseBehaviour.OK && close != CloseBehaviour.INFORMATIONAL;
        return answer || closing;
    }
}
