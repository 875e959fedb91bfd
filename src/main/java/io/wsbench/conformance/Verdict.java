package io.wsbench.conformance;

/**
 * Whether an outcome is what RFC 6455 asks for. {@code HARNESS_ERROR} means the case could not be
 * judged because the client itself failed; that, unlike a deviation, is a bug to fix.
 * {@code NOT_RUN} means an earlier case left the server unable to serve.
 *
 * @param kind  conforms, deviates, or harness error
 * @param label text for the report, e.g. {@code conforms (dropped)} or {@code deviates (code 1011)}
 */
public record Verdict(Kind kind, String label) {

    public enum Kind { CONFORMS, DEVIATES, HARNESS_ERROR, NOT_RUN }

    static Verdict conforms() {
        return new Verdict(Kind.CONFORMS, "conforms");
    }

    static Verdict conforms(String qualifier) {
        return new Verdict(Kind.CONFORMS, "conforms (" + qualifier + ")");
    }

    static Verdict deviates(String how) {
        return new Verdict(Kind.DEVIATES, "deviates (" + how + ")");
    }

    static Verdict harnessError(String what) {
        return new Verdict(Kind.HARNESS_ERROR, "harness error: " + what);
    }

    static Verdict notRun(String why) {
        return new Verdict(Kind.NOT_RUN, "not run: " + why);
    }
}
