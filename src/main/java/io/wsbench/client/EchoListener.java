package io.wsbench.client;

/**
 * Told about every verified echo and about the failure that ends a connection. Called on the
 * connection's event loop: keep it short and never block.
 */
public interface EchoListener {

    /**
     * A message came back intact and in order.
     *
     * @param intendedSendNanos when the message should have been sent ({@link System#nanoTime()}); latency
     *     measured from here is free of coordinated omission
     * @param sentNanos when it was actually handed to the socket
     * @param receivedNanos when its echo was read
     */
    void onEcho(EchoConnection connection, long intendedSendNanos, long sentNanos, long receivedNanos);

    /** The connection failed and is closed; no further echo will be reported. */
    default void onFailure(EchoConnection connection, EchoFailedException failure) {
    }
}
