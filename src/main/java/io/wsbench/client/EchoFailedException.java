package io.wsbench.client;

/**
 * An echo run cannot go on: the message says what went wrong (which message, what was expected,
 * what came back) and what to check. Thrown out of the benchmark so JMH marks the trial failed
 * instead of counting a broken echo as a fast one.
 */
public class EchoFailedException extends RuntimeException {

    /** What kind of failure, so tests and reports can tell them apart without parsing messages. */
    public enum Kind {
        CONNECT, TLS, HANDSHAKE, CORRUPTED, OUT_OF_ORDER, UNEXPECTED, TIMEOUT, CONNECTION_CLOSED, OVERLOADED
    }

    private final Kind kind;

    public EchoFailedException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public EchoFailedException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
