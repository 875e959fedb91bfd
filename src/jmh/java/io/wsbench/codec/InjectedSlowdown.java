package io.wsbench.codec;

import org.openjdk.jmh.infra.Blackhole;

/**
 * TEST SWITCH, not a tuning knob: makes every codec benchmark burn extra CPU for each frame it
 * encodes or decodes, to prove that the regression gate catches a real slowdown.
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
 */
final class InjectedSlowdown {

    static final String PROPERTY = "wsbench.inject.frameSlowdownNanos";

    private static final int CALIBRATION_ROUNDS = 30;
    private static final long CALIBRATION_TOKENS = 100_000;
    private static final long NANOS_PER_FRAME = parse(System.getProperty(PROPERTY));
    private static final long TOKENS_PER_FRAME = NANOS_PER_FRAME == 0 ? 0 : tokensFor(NANOS_PER_FRAME);

    private InjectedSlowdown() {
    }

    /** Burns about the configured CPU time; does nothing when the switch is off. */
    static void perFrame() {
        if (TOKENS_PER_FRAME > 0) {
            Blackhole.consumeCPU(TOKENS_PER_FRAME);
        }
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

    /** Prints a warning into the JMH log when the switch is on, so no one mistakes such a run for a real one. */
    static void announce() {
        if (NANOS_PER_FRAME > 0) {
            System.out.println("# WARNING: " + PROPERTY + "=" + NANOS_PER_FRAME + ": codec benchmarks burn about that much"
                    + " extra CPU per frame (Blackhole.consumeCPU(" + TOKENS_PER_FRAME + ")); test switch for the regression gate");
        }
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
