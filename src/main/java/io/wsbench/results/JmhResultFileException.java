package io.wsbench.results;

/** A JMH result file is missing, unreadable or not JMH's JSON; the message names the file and the fix. */
public class JmhResultFileException extends RuntimeException {
    public JmhResultFileException(String message) {
        super(message);
    }

    public JmhResultFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
