package io.wsbench.gate;

import io.wsbench.results.JmhResultFile.Metric;
import io.wsbench.results.JmhResultFile.Result;

import java.util.Locale;

/**
 * The allocation half of the gate: bytes allocated per operation ({@code gc.alloc.rate.norm}, which {@code -prof gc}
 * measures from the JVM's per-thread allocation counters) compared as an exact figure, without a statistical test.
 *
 * <p>Unlike time, this figure does not move with the CPU, the clock or the load: the same code on the same JVM
 * allocates the same objects. So it is gated against a baseline from any machine whose JVM has the same major version
 * and vendor (allocation depends on the class library and on escape analysis, which change between those). A result
 * regresses when its allocation rises by more than {@code max(toleranceBytes, tolerancePercent % of the baseline)}:
 * the bytes absorb the amortised allocation of JMH's own bookkeeping and pooled buffers (a few B/op from fork to fork),
 * the percentage the rounding of large figures.
 */
final class AllocationGate {

    static final String METRIC = BenchmarkExport.ALLOC_NORM;
    static final double DEFAULT_TOLERANCE_BYTES = 8.0;
    static final double DEFAULT_TOLERANCE_PERCENT = 2.0;

    enum Verdict {
        /** Rose beyond the tolerance: fails the gate. */
        REGRESSION,
        /** Fell beyond the tolerance: reported, never fails. */
        IMPROVEMENT,
        /** Within the tolerance. */
        UNCHANGED,
        /** The two runs' JVMs differ in major version or vendor, so their allocations are not comparable. */
        OTHER_JVM;

        String label() {
            return this == OTHER_JVM ? "other JVM" : name().toLowerCase(Locale.ROOT);
        }
    }

    /** One benchmark/mode/params row, in B/op. */
    record Row(String benchmark, String shortName, String mode, String params, double baseline, double current,
               double changeBytes, double changePercent, double toleranceBytes, Verdict verdict) {
    }

    private final double toleranceBytes;
    private final double tolerancePercent;

    AllocationGate(double toleranceBytes, double tolerancePercent) {
        if (!(toleranceBytes >= 0) || Double.isInfinite(toleranceBytes)) {
            throw new IllegalArgumentException("allocation tolerance must be a number of bytes >= 0 such as 8, was " + toleranceBytes);
        }
        if (!(tolerancePercent >= 0) || Double.isInfinite(tolerancePercent)) {
            throw new IllegalArgumentException("allocation tolerance must be a percentage >= 0 such as 2, was " + tolerancePercent);
        }
        this.toleranceBytes = toleranceBytes;
        this.tolerancePercent = tolerancePercent;
    }

    /** The row for a matched pair, or null when either side has no {@code gc.alloc.rate.norm} (run without -prof gc). */
    Row compare(Result base, Result cur, boolean sameJvm) {
        Metric b = base.secondaryMetrics().get(METRIC);
        Metric c = cur.secondaryMetrics().get(METRIC);
        if (b == null || c == null || !Double.isFinite(b.score()) || !Double.isFinite(c.score())) {
            return null;
        }
        double change = c.score() - b.score();
        double percent = b.score() > 0 ? change / b.score() * 100.0 : Double.NaN;
        double tolerance = tolerance(b.score());
        Verdict verdict;
        if (!sameJvm) {
            verdict = Verdict.OTHER_JVM;
        } else if (change > tolerance) {
            verdict = Verdict.REGRESSION;
        } else if (-change > tolerance) {
            verdict = Verdict.IMPROVEMENT;
        } else {
            verdict = Verdict.UNCHANGED;
        }
        return new Row(base.benchmark(), base.shortName(), base.mode(), base.paramsText(), b.score(), c.score(),
                change, percent, tolerance, verdict);
    }

    /** {@code max(toleranceBytes, tolerancePercent % of baseline)}. */
    double tolerance(double baselineBytes) {
        return Math.max(toleranceBytes, Math.abs(baselineBytes) * tolerancePercent / 100.0);
    }

    String rule() {
        return String.format(Locale.ROOT, "Allocation (%s, B/op) regresses when it rises by more than max(%s B/op, %s%%) "
                        + "over the baseline; no test, it is exact; gated across machines when the JVM's major version and vendor match.",
                METRIC, RegressionGate.trim(toleranceBytes), RegressionGate.trim(tolerancePercent));
    }
}
