package io.wsbench.codec;

import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What every codec microbenchmark shares, as Netty's {@code AbstractMicrobenchmark} does for its own: the defaults
 * (average time in ns per operation, 2 forks × (5 + 5) × 1 s; override on the command line), one state per thread,
 * and the rotation over a few seeded inputs so that no input is constant-folded.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
@State(Scope.Thread)
public abstract class AbstractCodecBenchmark {
    private int next;

    /** The next of {@code inputs} inputs, in turn: 0, 1, …, inputs − 1, 0, … */
    protected final int nextIndex(int inputs) {
        int index = next;
        next = (next + 1) % inputs;
        return index;
    }

    /**
     * Guards against measuring an error path: one round over the inputs must encode each to its wire size, and one more
     * must decode each to its payload size. Call it at the end of the trial's setup.
     */
    protected final void requireEachInputRoundTrips(String library, int[] wireBytes, int payloadBytes, IntSupplier encode,
            IntSupplier decode) {
        for (int expected : wireBytes) {
            int encoded = encode.getAsInt();
            requireThat(encoded == expected, library + " encoded " + encoded + " bytes, expected " + expected);
        }
        for (int i = 0; i < wireBytes.length; i++) {
            int decoded = decode.getAsInt();
            requireThat(decoded == payloadBytes, library + " decoded " + decoded + " payload bytes, expected " + payloadBytes);
        }
    }

    /** Fails the trial's setup when a fixture does not do what the benchmark assumes, so no error path is measured. */
    protected static void requireThat(boolean holds, String what) {
        if (!holds) {
            throw new IllegalStateException(what);
        }
    }
}
