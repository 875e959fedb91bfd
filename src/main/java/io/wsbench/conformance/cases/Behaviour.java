package io.wsbench.conformance.cases;

/** Autobahn|Testsuite's verdict on what the server sent back (its "behavior"). */
public enum Behaviour {
    /** What the server sent is the strict expectation. */
    OK("OK"),
    /** Acceptable, but not the strict expectation (e.g. failing on bad UTF-8 only at the end of the message). */
    NON_STRICT("NON-STRICT"),
    /** Matches no expectation. */
    FAILED("FAILED"),
    /** Reported, not judged: the RFC leaves it open, or the case measures time. */
    INFORMATIONAL("INFORMATIONAL"),
    /** The server declined the feature the case tests (permessage-deflate). */
    UNIMPLEMENTED("UNIMPLEMENTED");

    private final String label;

    Behaviour(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
