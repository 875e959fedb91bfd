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
 * and vendor (allocation depends on the class library and on escape analysis, which change between those).
 *
 * <p>It is exact per fork, not per build: the JIT decides per fork whether escape analysis removes an object, so a
 * row can sit at one of two figures fork by fork (Jetty's 125-byte encode measured 56 or 80 B/op in different forks
 * of one build). Comparing means would then fail an unchanged build whenever its forks land differently. So a result
 * regresses when <em>both</em> its lowest and its highest per-fork figure rise by more than
 * {@code max(toleranceBytes, tolerancePercent % of the baseline)}: a real extra allocation lifts every fork, a
 * different JIT outcome moves only some. The bytes absorb the amortised allocation of JMH's own bookkeeping and of
 * pooled buffers (a few B/op from fork to fork), the percentage the rounding of large figures. With one figure per
 * fork on each side (deterministic rows) this is the plain comparison.
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

    /**
     * One benchmark/mode/params row, in B/op: the means, their change, and the lowest and highest per-fork figure of
     * each side, which the verdict compares.
     */
    record Row(String benchmark, String shortName, String mode, String params, double baseline, double current,
               double changeBytes, double changePercent, double toleranceBytes, Verdict verdict,
               double baselineLow, double baselineHigh, double currentLow, double currentHigh) {
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
        double[] bf = forks(b);
        double[] cf = forks(c);
        double lowRise = min(cf) - min(bf);
        double highRise = max(cf) - max(bf);
        Verdict verdict;
        if (!sameJvm) {
            verdict = Verdict.OTHER_JVM;
        } else if (lowRise > tolerance && highRise > tolerance) {
            verdict = Verdict.REGRESSION;
        } else if (-lowRise > tolerance && -highRise > tolerance) {
            verdict = Verdict.IMPROVEMENT;
        } else {
            verdict = Verdict.UNCHANGED;
        }
        return new Row(base.benchmark(), base.shortName(), base.mode(), base.paramsText(), b.score(), c.score(),
                change, percent, tolerance, verdict, min(bf), max(bf), min(cf), max(cf));
    }

    /** The per-fork figures, or the score alone when the file has no raw data. */
    private static double[] forks(Metric m) {
        double[] means = m.forkMeans();
        return means.length == 0 ? new double[] {m.score()} : means;
    }

    private static double min(double[] values) {
        return java.util.Arrays.stream(values).min().orElseThrow();
    }

    private static double max(double[] values) {
        return java.util.Arrays.stream(values).max().orElseThrow();
    }

    /** {@code max(toleranceBytes, tolerancePercent % of baseline)}. */
    double tolerance(double baselineBytes) {
        return Math.max(toleranceBytes, Math.abs(baselineBytes) * tolerancePercent / 100.0);
    }

    String rule() {
        return String.format(Locale.ROOT, "Allocation (%s, B/op) regresses when both its lowest and its highest per-fork "
                        + "figure rise by more than max(%s B/op, %s%%) over the baseline's (the JIT may remove an allocation in"
                        + " some forks only); no test, it is exact; gated across machines when the JVM's major version and vendor match.",
                METRIC, RegressionGate.trim(toleranceBytes), RegressionGate.trim(tolerancePercent));
    }
}
