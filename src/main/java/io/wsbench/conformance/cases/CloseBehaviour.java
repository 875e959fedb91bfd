package io.wsbench.conformance.cases;

/** Autobahn|Testsuite's verdict on how the connection ended (its "behaviorClose"), checked in this order. */
public enum CloseBehaviour {
    /** The wrong side started the close: the server failed a valid exchange, or never failed an invalid one. */
    FAILED("FAILED"),
    /** The case requires a full closing handshake with the server closing TCP, and it was not. */
    UNCLEAN("UNCLEAN"),
    /** The server's close code is not one the case allows. */
    WRONG_CODE("WRONG CODE"),
    /** All else right, but the client had to drop TCP: the server should have. */
    FAILED_BY_CLIENT("FAILED BY CLIENT"),
    OK("OK"),
    INFORMATIONAL("INFORMATIONAL");

    private final String label;

    CloseBehaviour(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
