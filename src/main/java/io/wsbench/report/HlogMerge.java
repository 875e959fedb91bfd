package io.wsbench.report;

import io.wsbench.report.HlogFiles.LogSum;
import io.wsbench.report.HlogFiles.ValueUnit;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code scripts/report --merge-hlog OUT.hlog IN.hlog…}: many clients, one server. Adds the latency logs
 * of several client hosts into one histogram (every interval of every log, not aligned in time: the
 * result is the distribution of all latencies the clients recorded), writes it as a one-interval log
 * OUT.hlog spanning the earliest start to the latest end, and its percentile distribution as OUT.hgrm
 * (HdrHistogram's text format, values in µs), and prints a table of each input and the merged total.
 */
final class HlogMerge {

    static final double[] PERCENTILES = {50.0, 90.0, 99.0, 99.9, 99.99};
    private static final List<String> HEADER = List.of(
            "log", "intervals", "count", "p50 µs", "p90 µs", "p99 µs", "p99.9 µs", "p99.99 µs", "max µs");

    private HlogMerge() {
    }

    /** {@code args}: OUT.hlog IN.hlog… [--hlog-unit ns|us|ms]; returns the exit status. */
    static int run(List<String> args, PrintStream out, PrintStream err) {
        try {
            List<String> paths = new ArrayList<>();
            ValueUnit unit = ValueUnit.us;
            for (int i = 0; i < args.size(); i++) {
                if (args.get(i).equals("--hlog-unit")) {
                    if (i + 1 == args.size()) {
                        throw new ReportInputException("--hlog-unit needs a value: ns, us or ms");
                    }
                    unit = ValueUnit.parse(args.get(++i));
                } else if (args.get(i).startsWith("--")) {
                    throw new ReportInputException("--merge-hlog: unexpected option '" + args.get(i)
                            + "'; usage: scripts/report --merge-hlog OUT.hlog IN.hlog… [--hlog-unit us]");
                } else {
                    paths.add(args.get(i));
                }
            }
            if (paths.size() < 2) {
                throw new ReportInputException("--merge-hlog needs OUT.hlog and at least one IN.hlog; "
                        + "usage: scripts/report --merge-hlog OUT.hlog IN1.hlog IN2.hlog… [--hlog-unit us]");
            }
            Path target = Path.of(paths.get(0));
            if (Files.exists(target)) {
                // the first argument is the output: refusing protects a client's log passed there by mistake
                throw new ReportInputException(target + ": already exists; the first argument is the merged log to "
                        + "create, so name a new file (or remove the old merge)");
            }
            List<LogSum> inputs = new ArrayList<>();
            for (String in : paths.subList(1, paths.size())) {
                inputs.add(HlogFiles.read(Path.of(in)));
            }
            Histogram merged = merge(inputs);
            Path percentiles = write(target, merged, inputs, unit);
            out.print(table(inputs, merged, unit));
            err.println("wrote " + target + " (one interval: the merged histogram) and " + percentiles
                    + " (its percentile distribution, µs)");
            return 0;
        } catch (ReportInputException | UncheckedIOException e) {
            err.println("report --merge-hlog: " + e.getMessage());
            return ReportInputException.EXIT_STATUS;
        }
    }

    /** The exact sum of every input, timestamped from the earliest start to the latest end. */
    static Histogram merge(List<LogSum> inputs) {
        Histogram merged = HlogFiles.add(inputs.stream().map(LogSum::histogram).toList());
        merged.setStartTimeStamp(inputs.stream().mapToLong(LogSum::startMillis).min().orElse(0));
        merged.setEndTimeStamp(inputs.stream().mapToLong(LogSum::endMillis).max().orElse(0));
        return merged;
    }

    /** One row per input and a last one for the merged histogram; values in µs. */
    static String table(List<LogSum> inputs, Histogram merged, ValueUnit unit) {
        List<List<String>> rows = new ArrayList<>();
        for (LogSum in : inputs) {
            rows.add(row(in.file().getFileName().toString(), in.intervals(), in.histogram(), unit));
        }
        rows.add(row("**merged**", inputs.stream().mapToInt(LogSum::intervals).sum(), merged, unit));
        double highest = PERCENTILES[PERCENTILES.length - 1];
        boolean unresolved = inputs.stream().anyMatch(in -> !Markdown.resolves(in.histogram().getTotalCount(), highest));
        String note = unresolved
                ? "\n" + Markdown.UNRESOLVED_NOTE + "\n"
                : "";
        return Markdown.table(HEADER, rows) + note;
    }

    private static List<String> row(String name, int intervals, Histogram h, ValueUnit unit) {
        List<String> cells = new ArrayList<>(List.of(name, String.valueOf(intervals), String.format(Locale.ROOT, "%,d", h.getTotalCount())));
        for (double p : PERCENTILES) {
            cells.add(Markdown.number(h.getValueAtPercentile(p) * unit.micros)
                    + (Markdown.resolves(h.getTotalCount(), p) ? "" : Markdown.UNRESOLVED));
        }
        cells.add(Markdown.number(h.getMaxValue() * unit.micros));
        return cells;
    }

    /** Writes OUT.hlog and OUT.hgrm; returns the .hgrm path. */
    private static Path write(Path target, Histogram merged, List<LogSum> inputs, ValueUnit unit) {
        String name = target.getFileName().toString();
        Path percentiles = target.resolveSibling((name.endsWith(".hlog") ? name.substring(0, name.length() - 5) : name) + ".hgrm");
        try {
            if (target.toAbsolutePath().getParent() != null) {
                Files.createDirectories(target.toAbsolutePath().getParent());
            }
            try (PrintStream log = new PrintStream(Files.newOutputStream(target), false, StandardCharsets.UTF_8)) {
                HistogramLogWriter writer = new HistogramLogWriter(log);
                writer.outputComment("[merged by scripts/report --merge-hlog from "
                        + String.join(", ", inputs.stream().map(in -> in.file().toString()).toList())
                        + "; values in " + unit + "]");
                writer.outputLogFormatVersion();
                writer.outputStartTime(merged.getStartTimeStamp());
                writer.setBaseTime(merged.getStartTimeStamp());
                writer.outputLegend();
                // 1.0: the max column stays in the recorded unit instead of HdrHistogram's default ns-to-ms scaling
                writer.outputIntervalHistogram(0, (merged.getEndTimeStamp() - merged.getStartTimeStamp()) / 1000.0, merged, 1.0);
            }
            try (PrintStream hgrm = new PrintStream(Files.newOutputStream(percentiles), false, StandardCharsets.UTF_8)) {
                merged.outputPercentileDistribution(hgrm, 5, 1.0 / unit.micros);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
        }
        return percentiles;
    }
}
