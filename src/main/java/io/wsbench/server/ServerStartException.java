package io.wsbench.server;

/** An embedded server could not start; the message names the cause and what to do about it. */
public class ServerStartException extends RuntimeException {
    public ServerStartException(String message, Throwable cause) {
        super(message, cause);
    }

    public ServerStartException(String message) {
        super(message);
    }
}
