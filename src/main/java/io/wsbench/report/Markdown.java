package io.wsbench.report;

import io.wsbench.results.JdkMerge;

import io.wsbench.results.JmhResultFile;

import io.wsbench.results.JmhResultFile.Metric;
import io.wsbench.results.JmhResultFile.Result;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
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

    /** Where the conformance run's report lives in a repository, and the heading of its table read here. */
    static final String CONFORMANCE_FILE = "results/conformance.md";
    private static final String VERDICTS_PER_SECTION = "## Verdicts per section";

    /**
     * The note under a benchmark table naming each of {@code servers}' conformance deviations, read from the
     * "Verdicts per section" table of the repository's {@value #CONFORMANCE_FILE} (its sections whose cell is bold:
     * some case not OK); empty when the result file is not in a repository with that file or no server has a column.
     * A speed is read beside what the server skips: Vert.x echoing invalid UTF-8 is cheaper than validating it.
     */
    static String conformanceNote(Path resultFile, Collection<String> servers) {
        Path conformance = null;
        for (Path dir = resultFile.toAbsolutePath().getParent(); dir != null; dir = dir.getParent()) {
            if (Files.exists(dir.resolve("pom.xml"))) {
                conformance = dir.resolve(CONFORMANCE_FILE);
                break;
            }
        }
        if (conformance == null || !Files.isRegularFile(conformance)) {
            return "";
        }
        Map<String, List<String>> deviations;
        try {
            deviations = conformanceDeviations(Files.readAllLines(conformance, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + conformance, e);
        }
        List<String> named = servers.stream().filter(deviations::containsKey)
                .map(server -> server + ": " + (deviations.get(server).isEmpty() ? "none"
                        : String.join(", ", deviations.get(server))))
                .toList();
        if (named.isEmpty()) {
            return "";
        }
        return "- Conformance deviations (Autobahn sections with a case not OK, OK cases of all run; " + CONFORMANCE_FILE
                + "): " + String.join("; ", named) + ".\n";
    }

    /** Server → its deviating sections ("6 UTF-8 68/145"), from the lines of a conformance report. */
    static Map<String, List<String>> conformanceDeviations(List<String> lines) {
        int start = lines.indexOf(VERDICTS_PER_SECTION);
        Map<String, List<String>> deviations = new LinkedHashMap<>();
        if (start < 0) {
            return deviations;
        }
        List<String> servers = null;
        for (int i = start + 1; i < lines.size() && !lines.get(i).startsWith("#"); i++) {
            String line = lines.get(i).strip();
            if (!line.startsWith("|")) {
                if (servers != null) {
                    break;
                }
                continue;
            }
            List<String> cells = List.of(line.substring(1, line.length() - 1).split("\\|", -1)).stream()
                    .map(String::strip).toList();
            if (servers == null) {
                servers = cells.subList(1, cells.size());
                servers.forEach(server -> deviations.put(server, new ArrayList<>()));
            } else if (!cells.get(0).startsWith("---")) {
                for (int c = 1; c < cells.size() && c <= servers.size(); c++) {
                    String cell = cells.get(c);
                    if (cell.startsWith("**")) {
                        deviations.get(servers.get(c - 1)).add(cells.get(0) + " " + cell.replace("**", ""));
                    }
                }
            }
        }
        return deviations;
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
