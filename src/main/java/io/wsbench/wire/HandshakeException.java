package io.wsbench.wire;

import java.io.IOException;

/** The HTTP/1.1 upgrade did not produce a WebSocket connection; the message says why and what to check. */
public class HandshakeException extends IOException {
    public HandshakeException(String message) {
        super(message);
    }
}
