package io.wsbench.gate;

import io.wsbench.results.JmhResultFile;

import io.wsbench.results.JmhResultFile.Metric;
import io.wsbench.results.JmhResultFile.Result;
import org.apache.commons.math3.stat.StatUtils;
import org.apache.commons.math3.stat.inference.TTest;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Compares two JMH runs benchmark by benchmark and decides which changes are real.
 *
 * <p>Results are matched by benchmark name, mode and parameters. A result <em>regresses</em> when
 * its score is worse than the baseline's by more than the threshold <em>and</em> Welch's t-test on
 * the per-fork means (each fork's mean of its measurement iterations, JMH's {@code rawData}; for
 * SampleTime each iteration's mean) rejects "same mean" at the chosen alpha, two-sided. The fork is
 * the unit because iterations of one fork share its JIT outcome and are not independent samples.
 * Both conditions are needed: the threshold ignores changes too small to matter, the test ignores
 * changes the fork-to-fork spread could explain. "Worse" is lower for throughput ({@code thrpt}) and
 * higher for time per operation ({@code avgt}, {@code sample}, {@code ss}). Beside the primary
 * scores, {@link AllocationGate} gates bytes allocated per operation.
 */
public final class RegressionGate {

    public static final double DEFAULT_THRESHOLD_PERCENT = 10.0;
    public static final double DEFAULT_ALPHA = 0.01;
    /** Welch's test estimates a variance on each side, which needs at least two forks. */
    public static final int MIN_FORKS = 2;

    private final Thresholds thresholds;
    private final double alpha;
    private final AllocationGate allocationGate;

    public RegressionGate(double thresholdPercent, double alpha) {
        this(thresholdPercent, alpha, AllocationGate.DEFAULT_TOLERANCE_BYTES, AllocationGate.DEFAULT_TOLERANCE_PERCENT);
    }

    /** With the allocation tolerance: max({@code allocBytes} B/op, {@code allocPercent} % of the baseline). */
    public RegressionGate(double thresholdPercent, double alpha, double allocBytes, double allocPercent) {
        this(Thresholds.of(thresholdPercent), alpha, allocBytes, allocPercent);
    }

    /** With a threshold per row ({@link Thresholds}). */
    public RegressionGate(Thresholds thresholds, double alpha, double allocBytes, double allocPercent) {
        if (!(alpha > 0 && alpha < 1)) {
            throw new IllegalArgumentException("alpha must be between 0 and 1 exclusive, such as 0.01, was " + alpha);
        }
        this.thresholds = thresholds;
        this.alpha = alpha;
        this.allocationGate = new AllocationGate(allocBytes, allocPercent);
    }

    public enum Verdict {
        /** Worse beyond the threshold and significant: fails the gate. */
        REGRESSION,
        /** Better beyond the threshold and significant: reported, never fails. */
        IMPROVEMENT,
        /** Beyond the threshold but within what the spread of the samples explains. */
        NOISE,
        /** Within the threshold. */
        UNCHANGED,
        /** Too few forks (or no usable baseline score) to test; see the row's note. */
        UNTESTED,
        /** Present in only one of the two runs. */
        MISSING;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** One benchmark/mode/params row; {@code baseline} or {@code current} is null when MISSING. */
    public record Row(
            String benchmark,
            String shortName,
            String mode,
            String params,
            Metric baseline,
            Metric current,
            double changePercent,
            double pValue,
            Verdict verdict,
            String note) {
    }

    /**
     * The time rows, the allocation rows, the rules that produced them, and warnings to print above them
     * (such as runs from different machines compared on purpose).
     */
    public record Comparison(Thresholds thresholds, double alpha, List<Row> rows,
                             List<AllocationGate.Row> allocation, String allocationRule, List<String> warnings) {
        public Comparison {
            rows = List.copyOf(rows);
            allocation = List.copyOf(allocation);
            warnings = List.copyOf(warnings);
        }

        public List<Row> with(Verdict verdict) {
            return rows.stream().filter(r -> r.verdict() == verdict).toList();
        }

        List<AllocationGate.Row> allocationWith(AllocationGate.Verdict verdict) {
            return allocation.stream().filter(r -> r.verdict() == verdict).toList();
        }

        /** A time or an allocation regression. */
        public boolean hasRegression() {
            return hasTimeRegression() || hasAllocationRegression();
        }

        public boolean hasTimeRegression() {
            return !with(Verdict.REGRESSION).isEmpty();
        }

        public boolean hasAllocationRegression() {
            return !allocationWith(AllocationGate.Verdict.REGRESSION).isEmpty();
        }

        /** The same comparison with more warnings. */
        Comparison warn(List<String> more) {
            List<String> all = new ArrayList<>(warnings);
            all.addAll(more);
            return withWarnings(all);
        }

        /** The same comparison with these warnings instead of its own. */
        Comparison withWarnings(List<String> replaced) {
            return new Comparison(thresholds, alpha, rows, allocation, allocationRule, replaced);
        }

        /** True when results were matched but none had enough samples to test. */
        public boolean nothingTestable() {
            List<Row> matched = rows.stream().filter(r -> r.verdict() != Verdict.MISSING).toList();
            return !matched.isEmpty() && matched.stream().allMatch(r -> r.verdict() == Verdict.UNTESTED);
        }

        /** The rule in one sentence, printed above every report. */
        public String rule() {
            return String.format(java.util.Locale.ROOT,
                    "A benchmark regresses when its score is more than %s worse than the baseline AND Welch's t-test "
                            + "on the per-fork means gives p < %s (two-sided). "
                            + "thrpt: higher is better; avgt/sample/ss: lower is better. Improvements never fail the gate.",
                    thresholds.describe(), trim(alpha));
        }
    }

    /**
     * Compares every result of {@code current} with the matching result of {@code baseline}.
     *
     * @throws GateInputException when the runs share no benchmark, a file repeats a benchmark, or units differ
     */
    public Comparison compare(JmhResultFile baseline, JmhResultFile current) {
        return compare(baseline, current, true);
    }

    /**
     * Like {@link #compare(JmhResultFile, JmhResultFile)}; {@code sameAllocationJvm} false marks every allocation
     * row {@code other JVM} (not gated), for runs whose JVMs differ in major version or vendor.
     */
    Comparison compare(JmhResultFile baseline, JmhResultFile current, boolean sameAllocationJvm) {
        Map<String, Result> base = index(baseline);
        Map<String, Result> cur = index(current);
        Set<String> common = new TreeSet<>(base.keySet());
        common.retainAll(cur.keySet());
        if (common.isEmpty()) {
            throw new GateInputException("no benchmark in common between baseline " + baseline.source() + " ("
                    + describe(base) + ") and current " + current.source() + " (" + describe(cur)
                    + "); compare runs of the same preset (scripts/gate run), matching benchmark name, mode and params");
        }
        List<Row> rows = new ArrayList<>();
        List<AllocationGate.Row> allocation = new ArrayList<>();
        List<String> allocationOnOneSide = new ArrayList<>();
        for (String key : common) {
            Result b = base.get(key);
            Result c = cur.get(key);
            rows.add(compare(b, c));
            AllocationGate.Row alloc = allocationGate.compare(b, c, sameAllocationJvm);
            if (alloc != null) {
                allocation.add(alloc);
            } else if (AllocationGate.measured(b) != AllocationGate.measured(c)) {
                allocationOnOneSide.add(b.shortName() + " {" + b.paramsText() + "} (only in the "
                        + (AllocationGate.measured(b) ? "baseline" : "current run") + ")");
            }
        }
        base.keySet().stream().filter(k -> !cur.containsKey(k))
                .forEach(k -> rows.add(missing(base.get(k), true)));
        cur.keySet().stream().filter(k -> !base.containsKey(k))
                .forEach(k -> rows.add(missing(cur.get(k), false)));
        rows.sort(Comparator.comparing(Row::benchmark).thenComparing(Row::mode).thenComparing(Row::params));
        List<String> warnings = allocationOnOneSide.isEmpty() ? List.of() : List.of(allocationOnOneSide.size()
                + (allocationOnOneSide.size() == 1 ? " benchmark has " : " benchmarks have ") + AllocationGate.METRIC + " in one run only, so their allocation was not compared: "
                + String.join("; ", allocationOnOneSide) + ". Record both runs with -prof gc; a baseline recorded before"
                + " the round trip had -prof gc needs recording again (scripts/gate run, then update-baseline)");
        return new Comparison(thresholds, alpha, rows, allocation, allocationGate.rule(), warnings);
    }

    private Row compare(Result baseResult, Result curResult) {
        Metric b = baseResult.primaryMetric();
        Metric c = curResult.primaryMetric();
        if (!Objects.equals(b.scoreUnit(), c.scoreUnit())) {
            throw new GateInputException(baseResult.benchmark() + " [" + baseResult.mode() + "] " + baseResult.paramsText()
                    + ": baseline is in " + b.scoreUnit() + " but current in " + c.scoreUnit()
                    + "; run both with the same -tu (time unit) or @OutputTimeUnit");
        }
        if (!(b.score() > 0) || Double.isNaN(c.score())) {
            return row(baseResult, b, c, Double.NaN, Double.NaN, Verdict.UNTESTED,
                    "baseline score " + b.score() + " and current " + c.score() + " give no meaningful change");
        }
        double change = (c.score() - b.score()) / b.score() * 100.0;
        double[] bs = b.forkMeans();
        double[] cs = c.forkMeans();
        if (bs.length < MIN_FORKS || cs.length < MIN_FORKS) {
            return row(baseResult, b, c, change, Double.NaN, Verdict.UNTESTED, String.format(java.util.Locale.ROOT,
                    "%d baseline and %d current forks; Welch's t-test on per-fork means needs at least %d on each side: "
                            + "run more forks (-f %d or more)", bs.length, cs.length, MIN_FORKS, MIN_FORKS));
        }
        double p = welchPValue(bs, cs);
        double worsePercent = baseResult.higherIsBetter() ? -change : change;
        boolean significant = p < alpha;
        Verdict verdict;
        if (Math.abs(change) <= thresholds.forBenchmark(baseResult.benchmark())) {
            verdict = Verdict.UNCHANGED;
        } else if (!significant) {
            verdict = Verdict.NOISE;
        } else {
            verdict = worsePercent > 0 ? Verdict.REGRESSION : Verdict.IMPROVEMENT;
        }
        return row(baseResult, b, c, change, p, verdict, "");
    }

    /** Two-sided p-value of Welch's t-test; two constant samples are equal (p=1) or certainly different (p=0). */
    static double welchPValue(double[] a, double[] b) {
        if (StatUtils.variance(a) == 0 && StatUtils.variance(b) == 0) {
            return StatUtils.mean(a) == StatUtils.mean(b) ? 1.0 : 0.0;
        }
        return new TTest().tTest(a, b);
    }

    private static Row row(Result r, Metric b, Metric c, double change, double p, Verdict v, String note) {
        return new Row(r.benchmark(), r.shortName(), r.mode(), r.paramsText(), b, c, change, p, v, note);
    }

    private static Row missing(Result r, boolean onlyInBaseline) {
        String note = onlyInBaseline
                ? "only in the baseline: removed, renamed, or its run failed"
                : "only in the current run: new, or not in the baseline yet (scripts/gate update-baseline)";
        return new Row(r.benchmark(), r.shortName(), r.mode(), r.paramsText(),
                onlyInBaseline ? r.primaryMetric() : null, onlyInBaseline ? null : r.primaryMetric(),
                Double.NaN, Double.NaN, Verdict.MISSING, note);
    }

    private static Map<String, Result> index(JmhResultFile file) {
        Map<String, Result> byKey = new LinkedHashMap<>();
        for (Result r : file.results()) {
            String key = r.benchmark() + "|" + r.mode() + "|" + r.params();
            if (byKey.put(key, r) != null) {
                throw new GateInputException(file.source() + " has " + r.benchmark() + " [" + r.mode() + "] "
                        + r.paramsText() + " twice; give each run its own file (scripts/gate run merges its parts)");
            }
        }
        return byKey;
    }

    private static String describe(Map<String, Result> results) {
        if (results.isEmpty()) {
            return "no results";
        }
        Result first = results.values().iterator().next();
        return results.size() + " results, e.g. " + first.benchmark() + " [" + first.mode() + "] " + first.paramsText();
    }

    static String trim(double value) {
        return value == Math.rint(value) ? String.valueOf((long) value) : String.valueOf(value);
    }
}
