package io.wsbench.gate;

import io.wsbench.results.JmhResultFile.Metric;
import io.wsbench.gate.RegressionGate.Comparison;
import io.wsbench.gate.RegressionGate.Row;
import io.wsbench.gate.RegressionGate.Verdict;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Renders a {@link Comparison} as a terminal table or as markdown for a pull-request comment: warnings first, then
 * the time table, the allocation table beside it ({@code gc.alloc.rate.norm}), the notes and a one-line summary.
 */
public final class ComparisonReport {

    private static final String[] HEADER = {"benchmark", "mode", "params", "baseline", "current", "change", "p-value", "verdict"};
    private static final String[] ALLOC_HEADER = {"benchmark", "mode", "params", "baseline median", "current median", "change B/op",
        "change", "baseline forks", "current forks", "tolerance", "verdict"};

    private ComparisonReport() {
    }

    public static String text(Comparison comparison) {
        return text(comparison, true);
    }

    /** The terminal report; {@code withTime} false leaves out the time table (runs from different machines). */
    public static String text(Comparison comparison, boolean withTime) {
        StringBuilder out = new StringBuilder();
        for (String warning : comparison.warnings()) {
            out.append("WARNING: ").append(warning).append('\n');
        }
        if (!comparison.warnings().isEmpty()) {
            out.append('\n');
        }
        if (withTime) {
            out.append(comparison.rule()).append("\n\n");
            appendText(cells(comparison), 3, 6, out);
        }
        if (!comparison.allocation().isEmpty()) {
            out.append(withTime ? "\n" : "").append(comparison.allocationRule()).append("\n\n");
            appendText(allocationCells(comparison), 3, 9, out);
        }
        if (withTime) {
            appendNotes(comparison, out);
        }
        out.append('\n').append(withTime ? summary(comparison) : allocationSummary(comparison)).append('\n');
        return out.toString();
    }

    public static String markdown(Comparison comparison) {
        return markdown(comparison, true);
    }

    /** The markdown report; {@code withTime} false leaves out the time table and its notes (--allocation-only). */
    public static String markdown(Comparison comparison, boolean withTime) {
        StringBuilder out = new StringBuilder();
        out.append("### Benchmark regression gate\n\n");
        out.append("**").append(withTime ? summary(comparison) : allocationSummary(comparison)).append("**\n\n");
        for (String warning : comparison.warnings()) {
            out.append("> **Warning:** ").append(warning).append("\n\n");
        }
        if (withTime) {
            out.append(comparison.rule()).append("\n\n");
            appendMarkdown(cells(comparison), "|---|---|---|---:|---:|---:|---:|---|", out);
        }
        if (!comparison.allocation().isEmpty()) {
            out.append('\n').append(comparison.allocationRule()).append("\n\n");
            appendMarkdown(allocationCells(comparison), "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---|", out);
        }
        StringBuilder notes = new StringBuilder();
        if (withTime) {
            appendNotes(comparison, notes);
        }
        if (notes.length() > 0) {
            out.append("\nNotes:\n\n").append(notes.toString().replaceAll("(?m)^  ", "- "));
        }
        return out.toString();
    }

    /** One line: what failed, or that nothing did. */
    public static String summary(Comparison comparison) {
        List<Row> regressions = comparison.with(Verdict.REGRESSION);
        String counts = count(comparison, Verdict.IMPROVEMENT) + ", " + count(comparison, Verdict.NOISE) + ", "
                + count(comparison, Verdict.UNCHANGED) + ", " + count(comparison, Verdict.UNTESTED) + ", "
                + count(comparison, Verdict.MISSING);
        String allocation = comparison.allocation().isEmpty() ? "" : "; allocation: " + allocationCounts(comparison);
        if (!comparison.hasRegression()) {
            return "PASS: no regression (" + counts + allocation + ")";
        }
        List<String> failed = new ArrayList<>();
        if (!regressions.isEmpty()) {
            failed.add(regressions.size() + " regression" + (regressions.size() == 1 ? "" : "s") + ": "
                    + regressions.stream().map(r -> name(r.shortName(), r.mode(), r.params()) + " " + percent(r.changePercent()))
                    .collect(Collectors.joining("; ")));
        }
        if (comparison.hasAllocationRegression()) {
            failed.add(allocationRegressions(comparison));
        }
        return "FAIL: " + String.join("; ", failed) + " (" + counts + allocation + ")";
    }

    /** The allocation verdicts alone, for a comparison whose times do not count. */
    static String allocationSummary(Comparison comparison) {
        if (comparison.allocation().isEmpty()) {
            return "allocation: no result has " + AllocationGate.METRIC + " on both sides (run with -prof gc)";
        }
        return comparison.hasAllocationRegression()
                ? "allocation FAIL: " + allocationRegressions(comparison) + " (" + allocationCounts(comparison) + ")"
                : "allocation PASS: no regression (" + allocationCounts(comparison) + ")";
    }

    private static String allocationRegressions(Comparison comparison) {
        List<AllocationGate.Row> rows = comparison.allocationWith(AllocationGate.Verdict.REGRESSION);
        return rows.size() + " allocation regression" + (rows.size() == 1 ? "" : "s") + ": "
                + rows.stream().map(r -> name(r.shortName(), r.mode(), r.params()) + " " + bytes(r.changeBytes()) + " B/op")
                .collect(Collectors.joining("; "));
    }

    private static String allocationCounts(Comparison comparison) {
        List<String> counts = new ArrayList<>();
        for (AllocationGate.Verdict v : AllocationGate.Verdict.values()) {
            int n = comparison.allocationWith(v).size();
            if (n > 0 || v != AllocationGate.Verdict.OTHER_JVM) {
                counts.add(n + " " + v.label());
            }
        }
        return String.join(", ", counts);
    }

    private static String name(String shortName, String mode, String params) {
        return shortName + " [" + mode + "]" + (params.isEmpty() ? "" : " {" + params + "}");
    }

    private static String count(Comparison comparison, Verdict verdict) {
        return comparison.with(verdict).size() + " " + verdict.label();
    }

    private static List<String[]> cells(Comparison comparison) {
        List<String[]> cells = new ArrayList<>();
        cells.add(HEADER);
        for (Row r : comparison.rows()) {
            cells.add(new String[] {
                r.shortName(), r.mode(), r.params(), score(r.baseline()), score(r.current()),
                percent(r.changePercent()), pValue(r.pValue()), r.verdict().label()});
        }
        return cells;
    }

    private static List<String[]> allocationCells(Comparison comparison) {
        List<String[]> cells = new ArrayList<>();
        cells.add(ALLOC_HEADER);
        for (AllocationGate.Row r : comparison.allocation()) {
            cells.add(new String[] {
                r.shortName(), r.mode(), r.params(), number(r.baseline()), number(r.current()), bytes(r.changeBytes()),
                percent(r.changePercent()), range(r.baselineLow(), r.baselineHigh()), range(r.currentLow(), r.currentHigh()),
                number(r.toleranceBytes()), r.verdict().label()});
        }
        return cells;
    }

    private static void appendText(List<String[]> cells, int firstNumber, int lastNumber, StringBuilder out) {
        int[] widths = new int[cells.get(0).length];
        for (String[] line : cells) {
            for (int i = 0; i < line.length; i++) {
                widths[i] = Math.max(widths[i], line[i].length());
            }
        }
        for (String[] line : cells) {
            for (int i = 0; i < line.length; i++) {
                out.append(i == 0 ? "" : "  ").append(pad(line[i], widths[i], i >= firstNumber && i <= lastNumber));
            }
            out.append('\n');
        }
    }

    private static void appendMarkdown(List<String[]> cells, String rule, StringBuilder out) {
        for (int row = 0; row < cells.size(); row++) {
            out.append("| ").append(String.join(" | ", escape(cells.get(row)))).append(" |\n");
            if (row == 0) {
                out.append(rule).append('\n');
            }
        }
    }

    private static void appendNotes(Comparison comparison, StringBuilder out) {
        for (Row r : comparison.rows()) {
            if (!r.note().isEmpty()) {
                out.append("  ").append(r.shortName()).append(" [").append(r.mode()).append("] ")
                        .append(r.params()).append(": ").append(r.note()).append('\n');
            }
        }
    }

    static String score(Metric m) {
        if (m == null) {
            return "-";
        }
        String error = Double.isNaN(m.scoreError()) ? "" : " ± " + number(m.scoreError());
        return number(m.score()) + error + " " + m.scoreUnit();
    }

    static String number(double v) {
        double abs = Math.abs(v);
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return String.valueOf(v);
        }
        if (abs >= 1000) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        if (abs >= 10) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        if (abs >= 1) {
            return String.format(Locale.ROOT, "%.2f", v);
        }
        return String.format(Locale.ROOT, "%.3g", v);
    }

    private static String range(double low, double high) {
        return number(low).equals(number(high)) ? number(low) : number(low) + "-" + number(high);
    }

    private static String bytes(double change) {
        return (change >= 0 ? "+" : "") + number(change);
    }

    private static String percent(double change) {
        return Double.isNaN(change) ? "-" : String.format(Locale.ROOT, "%+.1f%%", change);
    }

    private static String pValue(double p) {
        if (Double.isNaN(p)) {
            return "-";
        }
        return p < 0.0001 ? "<0.0001" : String.format(Locale.ROOT, "%.4f", p);
    }

    private static String pad(String s, int width, boolean right) {
        String padding = " ".repeat(width - s.length());
        return right ? padding + s : s + padding;
    }

    private static String[] escape(String[] line) {
        String[] escaped = new String[line.length];
        for (int i = 0; i < line.length; i++) {
            escaped[i] = line[i].replace("|", "\\|");
        }
        return escaped;
    }
}
