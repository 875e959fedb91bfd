package io.wsbench.codec;

import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.OpCode;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

import java.nio.ByteBuffer;
import java.util.SplittableRandom;

/**
 * Payload masking (RFC 6455 section 5.3: XOR with a 4-byte key), the per-byte work every
 * client-to-server frame costs.
 *
 * <p>Why: when a codec benchmark moves, this tells whether masking is the part that moved.
 * Only Jetty's routine is reachable on its own ({@code Frame.demask()}, public, which Jetty's
 * session calls on every parsed frame); Netty's masking loop is private to
 * {@code WebSocket08FrameEncoder}/{@code Decoder} and Tyrus's {@code Masker} is package-private, so
 * those two are measured only inside {@link NettyFrameCodecBenchmark} and
 * {@link TyrusFrameCodecBenchmark}. {@code byteLoop} is the textbook one-byte-at-a-time loop, the
 * reference a library's word-at-a-time routine should beat. Masking is in place, as Jetty's is;
 * eight seeded payloads and keys are cycled.
 *
 * <p>Run: {@code java -jar target/benchmarks.jar MaskingBenchmark -f 1 -wi 3 -i 3}; other sizes with
 * {@code -p payloadBytes=125,126,65535,65536}.
 */
public class MaskingBenchmark extends AbstractCodecBenchmark {

    @Param({"125", "65536"})
    int payloadBytes;

    private ByteBuffer[] payloads;
    private byte[][] masks;

    @Setup(Level.Trial)
    public void setUp() {
        SplittableRandom random = new SplittableRandom(payloadBytes);
        payloads = new ByteBuffer[FrameFixtures.MESSAGES];
        masks = new byte[FrameFixtures.MESSAGES][];
        for (int i = 0; i < payloads.length; i++) {
            byte[] bytes = new byte[payloadBytes];
            random.nextBytes(bytes);
            payloads[i] = ByteBuffer.allocateDirect(payloadBytes).put(bytes).flip();
            masks[i] = FrameFixtures.Message.maskBytes(random.nextInt());
        }
    }

    /** Jetty's {@code Frame.demask()} on a frame whose payload is a fresh view of the buffer. */
    @Benchmark
    public ByteBuffer jettyFrameDemask() {
        int index = nextIndex();
        Frame frame = new Frame(OpCode.BINARY, payloads[index].duplicate()).setMask(masks[index]);
        frame.demask();
        return frame.getPayload();
    }

    /** One byte at a time, the reference. */
    @Benchmark
    public ByteBuffer byteLoop() {
        int index = nextIndex();
        ByteBuffer payload = payloads[index];
        byte[] mask = masks[index];
        int start = payload.position();
        for (int i = 0, n = payload.remaining(); i < n; i++) {
            payload.put(start + i, (byte) (payload.get(start + i) ^ mask[i & 3]));
        }
        return payload;
    }

    private int nextIndex() {
        return nextIndex(payloads.length);
    }
}
