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
 * <p>It is exact per fork, not per build: the JIT decides per fork whether escape analysis removes an object, and one
 * fork of many can pick up a few dozen bytes of JMH's or a pool's bookkeeping. So a row compares the <em>median</em> of
 * its per-fork figures: it regresses when the head's median exceeds the baseline's by more than
 * {@code max(toleranceBytes, tolerancePercent % of the baseline's median)}. An extra allocation in more than half the
 * forks moves the median by its size, in exactly half of them by half its size (56 and 80 B/op in two forks, then 80
 * and 80: +12 B/op); one outlying fork of three or more does not (684, 684, 684 and 740 B/op: median 684). The price:
 * a row whose forks split between two JIT outcomes fails when the split shifts, which no rule can tell from an extra
 * allocation in half the forks. The bytes absorb the amortised allocation
 * of JMH's own bookkeeping and of pooled buffers (a few B/op from fork to fork), the percentage the rounding of large
 * figures.
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
     * One benchmark/mode/params row, in B/op: the medians of the per-fork figures, which the verdict compares, their
     * change, and the lowest and highest per-fork figure of each side.
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
        if (!measured(base) || !measured(cur)) {
            return null;
        }
        Metric b = base.secondaryMetrics().get(METRIC);
        Metric c = cur.secondaryMetrics().get(METRIC);
        double[] bf = forks(b);
        double[] cf = forks(c);
        double baseMedian = median(bf);
        double curMedian = median(cf);
        double change = curMedian - baseMedian;
        double percent = baseMedian > 0 ? change / baseMedian * 100.0 : Double.NaN;
        double tolerance = tolerance(baseMedian);
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
        return new Row(base.benchmark(), base.shortName(), base.mode(), base.paramsText(), baseMedian, curMedian,
                change, percent, tolerance, verdict, bf[0], bf[bf.length - 1], cf[0], cf[cf.length - 1]);
    }

    /** Whether the result has a {@code gc.alloc.rate.norm} to compare. */
    static boolean measured(Result result) {
        Metric m = result.secondaryMetrics().get(METRIC);
        return m != null && Double.isFinite(m.score());
    }

    /** The per-fork figures in ascending order, or the score alone when the file has no raw data. */
    private static double[] forks(Metric m) {
        double[] means = m.forkMeans();
        double[] figures = means.length == 0 ? new double[] {m.score()} : means;
        java.util.Arrays.sort(figures);
        return figures;
    }

    /** The middle of ascending {@code sorted}, or the mean of its two middle values when their number is even. */
    static double median(double[] sorted) {
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    /** {@code max(toleranceBytes, tolerancePercent % of baseline)}. */
    double tolerance(double baselineBytes) {
        return Math.max(toleranceBytes, Math.abs(baselineBytes) * tolerancePercent / 100.0);
    }

    String rule() {
        return String.format(Locale.ROOT, "Allocation (%s, B/op) regresses when the median of its per-fork figures rises by more than "
                        + "max(%s B/op, %s%%) over the baseline's (one outlying fork does not move it; an extra allocation in half"
                        + " the forks or more does); no test, it is exact; gated across machines when the JVM's major version and vendor match.",
                METRIC, RegressionGate.trim(toleranceBytes), RegressionGate.trim(tolerancePercent));
    }
}
