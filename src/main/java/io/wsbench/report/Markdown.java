package io.wsbench.report;

import io.wsbench.results.JdkMerge;

import io.wsbench.results.JmhResultFile;

import io.wsbench.results.JmhResultFile.Metric;
import io.wsbench.results.JmhResultFile.Result;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** Markdown pieces shared by the report's tables. */
final class Markdown {

    /** A cell with no value: the metric was not measured or does not apply. */
    static final String NONE = "—";
    static final String FAILED = "failed (see jmh log)";
    /** Marks a percentile with too few samples behind it (see {@link #resolves}). */
    static final String UNRESOLVED = "†";
    static final String UNRESOLVED_NOTE = UNRESOLVED + ": fewer samples than the percentile needs (1/(1-p): 1,000 for "
            + "p99.9, 10,000 for p99.99), so the value is the slowest sample rather than an estimate of the percentile; "
            + "measure longer (-i, -r) or with more forks (-f).";

    static final String NO_ERROR_NOTE = "A score without ±: JMH gives no confidence interval for fewer than 3 measurement "
            + "iterations (over all forks), so it is a bare sample and so is any ratio built on it; measure more (-i, -f) "
            + "before trusting it.";

    private Markdown() {
    }

    /** A table whose first column (the server) is left-aligned and whose other columns, numbers, are right-aligned. */
    static String table(List<String> header, List<List<String>> rows) {
        StringBuilder out = new StringBuilder();
        out.append(row(header));
        out.append("|---").append("|---:".repeat(header.size() - 1)).append("|\n");
        rows.forEach(r -> out.append(row(r)));
        return out.toString();
    }

    private static String row(List<String> cells) {
        return cells.stream().map(c -> c.replace("|", "\\|")).collect(Collectors.joining(" | ", "| ", " |\n"));
    }

    /** {@code 12,345}, {@code 376.6}, {@code 8.25}, {@code 0.123}: at least three significant digits. */
    static String number(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return String.valueOf(value);
        }
        double abs = Math.abs(value);
        return abs >= 1 || abs == 0 ? fixed(value, decimals(abs)) : String.format(Locale.ROOT, "%.3g", value);
    }

    /** {@code 25,535 ± 1,204}, the error to the score's precision; just the score when JMH had no error (NaN). */
    static String withError(double score, double error) {
        if (Double.isNaN(error)) {
            return number(score);
        }
        double abs = Math.abs(score);
        return number(score) + " ± " + (abs >= 1 ? fixed(error, decimals(abs)) : number(error));
    }

    private static int decimals(double abs) {
        return abs >= 1000 || abs == 0 ? 0 : abs >= 10 ? 1 : 2;
    }

    private static String fixed(double value, int decimals) {
        return String.format(Locale.ROOT, "%,." + decimals + "f", value);
    }

    /** {@code closed loop · 100 connections · 64 B · binary · serverThreads=1}: the parameters of one table, in its order. */
    static String configTitle(Map<String, String> config) {
        return config.entrySet().stream()
                .map(e -> switch (e.getKey()) {
                    case "payloadBytes" -> e.getValue() + " B";
                    case "type" -> e.getValue();
                    case JdkMerge.JDK -> "JDK " + e.getValue();
                    case "loadModel" -> e.getValue() + " loop";
                    case "connections" -> e.getValue() + (e.getValue().equals("1") ? " connection" : " connections");
                    default -> e.getKey() + "=" + e.getValue();
                })
                .collect(Collectors.joining(" · "));
    }

    /** {@code Same for every row: serverThreads=1 · transport=auto}, leaving out empty values; empty when there is none. */
    static String sameForEveryRow(Map<String, String> constants) {
        String named = constants.entrySet().stream().filter(e -> !e.getValue().isEmpty())
                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" · "));
        return named.isEmpty() ? "" : "Same for every row: " + named + ".\n\n";
    }

    /**
     * How the results were measured, from the JMH file itself: JMH, the JVM (every JVM, for a file merged from runs on
     * several JDKs), forks, iterations of the first result.
     */
    static String runConditions(List<Result> results) {
        Result r = results.get(0);
        String jvms = results.stream().map(each -> each.vmName() + " " + each.jdkVersion()).distinct()
                .collect(Collectors.joining(" and "));
        return String.format(Locale.ROOT, "JMH %s · %s · %d fork%s · warmup %d × %s · measurement %d × %s%s",
                r.jmhVersion(), jvms, r.forks(), r.forks() == 1 ? "" : "s",
                r.warmupIterations(), r.warmupTime(), r.measurementIterations(), r.measurementTime(),
                r.jvmArgs().isEmpty() ? "" : " · JVM args " + String.join(" ", r.jvmArgs()));
    }

    /** Samples behind a SampleTime score: the counts of all its histograms, or 0 when JMH wrote none. */
    static long sampleCount(Metric m) {
        return m.rawDataHistogram().stream().flatMap(List::stream).flatMap(List::stream)
                .mapToLong(JmhResultFile.HistogramBin::count).sum();
    }

    /**
     * True when {@code samples} can resolve {@code percentile}: at least 1/(1-p) samples, so that at
     * least one lies above it. With fewer, the "percentile" is simply the slowest sample.
     */
    static boolean resolves(long samples, double percentile) {
        return samples * (100.0 - percentile) >= 100.0 - 1e-9;
    }
}
