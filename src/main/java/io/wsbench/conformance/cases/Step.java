package io.wsbench.conformance.cases;

import io.wsbench.wire.Frame;

import java.util.List;

/** One thing the client does in a case, in order. */
public sealed interface Step {

    /** Write the frames only as whole frames; see {@link Send#chop}. */
    int PER_FRAME = -1;
    /** Write all the step's frames in as few writes as the socket takes. */
    int BATCHED = 0;

    /**
     * Frames to write.
     *
     * @param chop {@link #BATCHED}, {@link #PER_FRAME} (Autobahn's "sync": one flushed write per frame), or a positive
     *             number of bytes per flushed write (Autobahn's "chopsize")
     */
    record Send(List<Frame> frames, int chop) implements Step {
        public Send {
            frames = List.copyOf(frames);
            if (chop < PER_FRAME) {
                throw new IllegalArgumentException("chop is PER_FRAME, BATCHED or a byte count, was " + chop);
            }
        }
    }

    /**
     * Part of one frame's bytes, pre-encoded: for the cases that stop writing in the middle of a frame.
     *
     * @param what how the report names this part
     */
    record SendBytes(byte[] wire, String what) implements Step {
    }

    /**
     * A message the connection encodes itself: compressed when permessage-deflate was negotiated, split in frames of
     * {@code fragmentBytes} (0: one frame).
     */
    record Message(boolean binary, byte[] payload, int fragmentBytes) implements Step {
        public Message {
            if (fragmentBytes < 0) {
                throw new IllegalArgumentException("fragmentBytes must be 0 (one frame) or positive, was " + fragmentBytes);
            }
        }
    }

    /**
     * Wait a moment before the next step; if the connection is still open then, {@link Event.StillOpenAfterPause}
     * with this label is recorded, else the remaining steps are not sent (Autobahn's "continueLater").
     */
    record Pause(String label) implements Step {
    }

    /**
     * Wait until the server has sent back {@code messages} whole messages (at most the suite's response timeout) before
     * the next step, so that a server failing on the next frame cannot reset the connection with that echo unread.
     * Autobahn writes such frames back to back; see the cases that use this step.
     */
    record AwaitEcho(int messages) implements Step {
        public AwaitEcho {
            if (messages < 1) {
                throw new IllegalArgumentException("messages must be at least 1, was " + messages);
            }
        }
    }
}
