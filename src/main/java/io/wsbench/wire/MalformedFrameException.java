package io.wsbench.wire;

import java.io.IOException;

/** The peer sent bytes that do not parse as a WebSocket frame, a frame too large to read, or part of a frame and then nothing. */
public class MalformedFrameException extends IOException {
    public MalformedFrameException(String message) {
        super(message);
    }
}
