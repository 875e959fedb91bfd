package io.wsbench.codec;

import org.openjdk.jmh.infra.Blackhole;

/**
 * TEST SWITCHES, not tuning knobs: make every codec benchmark burn extra CPU, or allocate extra bytes, for each frame
 * it encodes or decodes, to prove that the regression gate catches a real slowdown or a real rise in allocation.
 *
 * <p>Turn it on for the forked benchmark JVMs only, leaving every {@code @Param} unchanged so that
 * baseline and current still match by name and parameters:
 * <pre>
 * java -jar target/benchmarks.jar io.wsbench.codec -jvmArgsAppend -Dwsbench.inject.frameSlowdownNanos=200
 * </pre>
 * The value is read once, when the class initialises (at the first {@code @Setup}), and turned into
 * a number of {@link Blackhole#consumeCPU} tokens calibrated on this JVM (the best of several timed
 * rounds, since load only ever adds time), so the extra cost is CPU work, about that many
 * nanoseconds on an idle core, rather than a wall-clock wait that a busy machine would stretch.
 * Both are static finals: when the switch is absent or 0 the JIT folds the check away and the
 * benchmarks pay nothing. The cost is per frame: a message of 4 fragments pays it 4 times, and it
 * weighs far more on 125-byte frames than on 64 KiB ones, as a per-frame slowdown in real code would.
 *
 * <p>The second switch, {@value #ALLOCATION_PROPERTY}{@code =N}, allocates a {@code byte[N]} per frame in the same
 * places (N bytes plus the array's 16-byte header, rounded up to 8, in {@code gc.alloc.rate.norm}). The array is
 * written to a volatile static field, so it escapes and the JIT can neither scalar-replace it nor drop the store;
 * both switches can be on at once.
 */
final class InjectedSlowdown {

    static final String PROPERTY = "wsbench.inject.frameSlowdownNanos";
    static final String ALLOCATION_PROPERTY = "wsbench.inject.frameAllocationBytes";

    private static final int CALIBRATION_ROUNDS = 30;
    private static final long CALIBRATION_TOKENS = 100_000;
    private static final long NANOS_PER_FRAME = parse(System.getProperty(PROPERTY));
    private static final long TOKENS_PER_FRAME = NANOS_PER_FRAME == 0 ? 0 : tokensFor(NANOS_PER_FRAME);
    private static final int BYTES_PER_FRAME = parseBytes(System.getProperty(ALLOCATION_PROPERTY));

    /** Where the injected allocation goes: a volatile static field, so every array escapes and every store stays. */
    @SuppressWarnings("unused")
    private static volatile Object sink;

    private InjectedSlowdown() {
    }

    /** Burns about the configured CPU time and allocates the configured bytes; does nothing when the switches are off. */
    static void perFrame() {
        if (TOKENS_PER_FRAME > 0) {
            Blackhole.consumeCPU(TOKENS_PER_FRAME);
        }
        if (BYTES_PER_FRAME > 0) {
            allocate(BYTES_PER_FRAME);
        }
    }

    /** Allocates a {@code byte[bytes]} that escapes into {@link #sink}; returns it (for tests). */
    static byte[] allocate(int bytes) {
        byte[] array = new byte[bytes];
        sink = array;
        return array;
    }

    /** Tokens that take {@code nanos} on this JVM: the fastest of several rounds, the later ones JIT-compiled. */
    private static long tokensFor(long nanos) {
        double bestNanosPerToken = Double.MAX_VALUE;
        for (int round = 0; round < CALIBRATION_ROUNDS; round++) {
            long start = System.nanoTime();
            Blackhole.consumeCPU(CALIBRATION_TOKENS);
            bestNanosPerToken = Math.min(bestNanosPerToken, (System.nanoTime() - start) / (double) CALIBRATION_TOKENS);
        }
        return Math.max(1, Math.round(nanos / bestNanosPerToken));
    }

    /** Prints a warning into the JMH log when a switch is on, so no one mistakes such a run for a real one. */
    static void announce() {
        if (NANOS_PER_FRAME > 0) {
            System.out.println("# WARNING: " + PROPERTY + "=" + NANOS_PER_FRAME + ": codec benchmarks burn about that much"
                    + " extra CPU per frame (Blackhole.consumeCPU(" + TOKENS_PER_FRAME + ")); test switch for the regression gate");
        }
        if (BYTES_PER_FRAME > 0) {
            System.out.println("# WARNING: " + ALLOCATION_PROPERTY + "=" + BYTES_PER_FRAME + ": codec benchmarks allocate a"
                    + " byte[" + BYTES_PER_FRAME + "] per frame; test switch for the regression gate");
        }
    }

    static int parseBytes(String value) {
        if (value == null || value.isBlank()) {
            return 0;
        }
        try {
            int bytes = Integer.parseInt(value.trim());
            if (bytes >= 0) {
                return bytes;
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(invalidBytes(value), e);
        }
        throw new IllegalArgumentException(invalidBytes(value));
    }

    private static String invalidBytes(String value) {
        return ALLOCATION_PROPERTY + " must be a whole number of bytes from 0 to " + Integer.MAX_VALUE + ", was '" + value
                + "'; for example -jvmArgsAppend -D" + ALLOCATION_PROPERTY + "=64, or leave it unset";
    }

    static long parse(String value) {
        if (value == null || value.isBlank()) {
            return 0;
        }
        try {
            long nanos = Long.parseLong(value.trim());
            if (nanos >= 0) {
                return nanos;
            }
        } catch (NumberFormatException e) {
            throw invalid(value, e);
        }
        throw invalid(value, null);
    }

    private static IllegalArgumentException invalid(String value, Throwable cause) {
        return new IllegalArgumentException(PROPERTY + " must be a whole number of nanoseconds >= 0, was '" + value
                + "'; for example -jvmArgsAppend -D" + PROPERTY + "=200, or leave it unset", cause);
    }
}
