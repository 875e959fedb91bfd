package io.wsbench.client;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.wsbench.codec.AbstractCodecBenchmark;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What checking one echo costs the client: {@link EchoPayload#verify} on an echo in a pooled direct buffer (as the
 * load client receives it), against the check it replaced, {@code ByteBufUtil.equals} (a getter call per {@code
 * long}). Why: at 64 KiB the check is the client's largest per-message work, and it runs on the same cores as the
 * server under test.
 *
 * <p>Run: {@code java -jar target/benchmarks.jar EchoCheckBenchmark -p payloadBytes=64,65536}. Eight echoes with
 * different sequence numbers are cycled so nothing is constant-folded. The defaults are the codec benchmarks' ({@link
 * AbstractCodecBenchmark}), with 3 warmup iterations.
 */
@Warmup(iterations = 3, time = 1)
public class EchoCheckBenchmark extends AbstractCodecBenchmark {
    private static final int ECHOES = 8;

    @Param({"64", "65536"})
    int payloadBytes;

    @Param({"binary", "text"})
    String type;

    private EchoPayload payload;
    private ByteBuf[] echoes;
    private ByteBuf template;

    @Setup(Level.Trial)
    public void setUp() {
        payload = EchoPayload.create(MessageType.parse(type), payloadBytes, 42);
        ByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;
        echoes = new ByteBuf[ECHOES];
        for (int i = 0; i < ECHOES; i++) {
            echoes[i] = payload.encode(alloc, i, 0);
            String mismatch = payload.verify(echoes[i], i, 1);
            requireThat(mismatch == null, "echo " + i + " does not verify: " + mismatch);
        }
        template = payload.encode(alloc, 0, 0);
    }

    @TearDown(Level.Trial)
    public void release() {
        for (ByteBuf echo : echoes) {
            echo.release();
        }
        template.release();
    }

    /** The client's check: sequence, then the rest with one vectorised mismatch. */
    @Benchmark
    public String verify() {
        int i = nextIndex(ECHOES);
        return payload.verify(echoes[i], i, 1);
    }

    /** The check it replaced: the same comparison of everything after the sequence field with ByteBufUtil.equals. */
    @Benchmark
    public boolean byteBufUtilEquals() {
        int i = nextIndex(ECHOES);
        int field = payload.sequenceBytes();
        return ByteBufUtil.equals(echoes[i], field, template, field, payloadBytes - field);
    }
}
