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
 * The value is read once, when the class initialises (at the first {@code @Setup}). It is a static
 * final, so when it is absent or 0 the JIT folds the check away and the benchmarks pay nothing.
 * The cost is per frame: a message of 4 fragments pays it 4 times, and it weighs far more on
 * 125-byte frames than on 64 KiB ones, as a per-frame slowdown in real code would.
 */
final class InjectedSlowdown {

    static final String PROPERTY = "wsbench.inject.frameSlowdownNanos";

    private static final long NANOS_PER_FRAME = parse(System.getProperty(PROPERTY));

    private InjectedSlowdown() {
    }

    static long nanosPerFrame() {
        return NANOS_PER_FRAME;
    }

    /** Burns CPU for the configured time; returns at once when the switch is off. */
    static void perFrame() {
        if (NANOS_PER_FRAME > 0) {
            long deadline = System.nanoTime() + NANOS_PER_FRAME;
            while (System.nanoTime() - deadline < 0) {
                Blackhole.consumeCPU(8);
            }
        }
    }

    /** Prints a warning into the JMH log when the switch is on, so no one mistakes such a run for a real one. */
    static void announce() {
        if (NANOS_PER_FRAME > 0) {
            System.out.println("# WARNING: " + PROPERTY + "=" + NANOS_PER_FRAME
                    + ": codec benchmarks burn that much extra CPU per frame (test switch for the regression gate)");
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
