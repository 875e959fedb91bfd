package io.wsbench.gate;

import io.wsbench.results.JmhResultFile.Metric;
import io.wsbench.gate.RegressionGate.Comparison;
import io.wsbench.gate.RegressionGate.Row;
import io.wsbench.gate.RegressionGate.Verdict;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** Renders a {@link Comparison} as a terminal table or as markdown for a pull-request comment. */
public final class ComparisonReport {

    private static final String[] HEADER = {"benchmark", "mode", "params", "baseline", "current", "change", "p-value", "verdict"};

    private ComparisonReport() {
    }

    public static String text(Comparison comparison) {
        List<String[]> cells = cells(comparison);
        int[] widths = new int[HEADER.length];
        for (String[] line : cells) {
            for (int i = 0; i < line.length; i++) {
                widths[i] = Math.max(widths[i], line[i].length());
            }
        }
        StringBuilder out = new StringBuilder();
        out.append(comparison.rule()).append("\n\n");
        for (String[] line : cells) {
            for (int i = 0; i < line.length; i++) {
                out.append(i == 0 ? "" : "  ").append(pad(line[i], widths[i], i >= 3 && i <= 6));
            }
            out.append('\n');
        }
        appendNotes(comparison, out);
        out.append('\n').append(summary(comparison)).append('\n');
        return out.toString();
    }

    public static String markdown(Comparison comparison) {
        List<String[]> cells = cells(comparison);
        StringBuilder out = new StringBuilder();
        out.append("### Benchmark regression gate\n\n");
        out.append("**").append(summary(comparison)).append("**\n\n");
        out.append(comparison.rule()).append("\n\n");
        for (int row = 0; row < cells.size(); row++) {
            out.append("| ").append(String.join(" | ", escape(cells.get(row)))).append(" |\n");
            if (row == 0) {
                out.append("|---|---|---|---:|---:|---:|---:|---|\n");
            }
        }
        StringBuilder notes = new StringBuilder();
        appendNotes(comparison, notes);
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
        if (regressions.isEmpty()) {
            return "PASS: no regression (" + counts + ")";
        }
        return "FAIL: " + regressions.size() + " regression" + (regressions.size() == 1 ? "" : "s") + ": "
                + regressions.stream().map(r -> r.shortName() + " [" + r.mode() + "]"
                        + (r.params().isEmpty() ? "" : " {" + r.params() + "}")
                        + " " + percent(r.changePercent()))
                .collect(Collectors.joining("; "))
                + " (" + counts + ")";
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
