package io.wsbench.gate;

/** The gate was given input it cannot use; the message names the cause and the fix. */
public class GateInputException extends RuntimeException {
    public GateInputException(String message) {
        super(message);
    }
}
