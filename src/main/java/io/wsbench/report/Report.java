package io.wsbench.report;

import io.wsbench.results.HlogNames;
import io.wsbench.results.JmhResultFile;
import io.wsbench.results.RunRecord;
import io.wsbench.results.JmhResultFileException;

import io.wsbench.report.Charts.NamedChart;
import io.wsbench.report.HlogFiles.LogSum;
import io.wsbench.report.HlogFiles.ValueUnit;
import io.wsbench.results.JmhResultFile.Result;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Command line of {@code scripts/report}: reads JMH JSON files, finds the round-trip and load results
 * in each, and writes {@code report.md} (tables and chart links) and the charts ({@code charts/*.png}
 * and {@code .svg}) into the output directory, printing the markdown. With {@code --merge-hlog} it
 * merges the latency logs of several client hosts instead ({@link HlogMerge}); with {@code --figures} it rewrites the
 * figures a document quotes from their committed files, with {@code --check-figures} it checks them ({@link ReadmeFigures}).
 *
 * <pre>
 * Report RESULTS.json [more.json…] [--out DIR] [--hlog DIR_OR_FILE…] [--hlog-unit ns|us|ms]
 * Report --merge-hlog OUT.hlog IN.hlog… [--hlog-unit ns|us|ms]
 * Report --figures|--check-figures DOCUMENT.md…
 * </pre>
 *
 * Each JSON file is reported on its own (ratios to rawtcp only within a file). Exit status 0, or 2 on
 * bad input with a message naming the file and the fix.
 */
public final class Report {

    static final String CHART_DIR = "charts";
    private static final String USAGE_HINT = "(scripts/report -h for usage)";

    private Report() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the report and returns the exit status instead of exiting, so tests can call it. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length > 0 && args[0].equals("--merge-hlog")) {
            return HlogMerge.run(List.of(args).subList(1, args.length), out, err);
        }
        if (args.length > 0 && (args[0].equals("--figures") || args[0].equals("--check-figures"))) {
            try {
                return ReadmeFigures.run(args[0].equals("--check-figures"), List.of(args).subList(1, args.length), out, err);
            } catch (ReportInputException e) {
                err.println(e.getMessage());
                return ReportInputException.EXIT_STATUS;
            }
        }
        try {
            Options options = Options.parse(args);
            List<JmhResultFile> files = new ArrayList<>();
            for (Path json : options.jsonFiles) {
                files.add(JmhResultFile.read(json));
            }
            Path outDir = options.outDir != null ? options.outDir : parentOf(options.jsonFiles.get(0));
            List<Path> hlogs = HlogFiles.expand(options.hlogPaths);
            Rendered report = render(files, hlogs, options.hlogUnit, options.svg, err);
            // nothing is written until every input has been read and rendered
            Files.createDirectories(outDir);
            for (NamedChart chart : report.charts()) {
                Charts.write(chart.chart(), outDir.resolve(CHART_DIR), chart.name(), options.svg);
            }
            Path target = outDir.resolve("report.md");
            Files.writeString(target, report.markdown(), StandardCharsets.UTF_8);
            out.print(report.markdown());
            err.println("wrote " + target + " and " + report.charts().size() + (report.charts().size() == 1 ? " chart" : " charts")
                    + " in " + outDir.resolve(CHART_DIR));
            return 0;
        } catch (JmhResultFileException | ReportInputException e) {
            err.println("report: " + e.getMessage());
            err.println(USAGE_HINT);
            return ReportInputException.EXIT_STATUS;
        } catch (IOException | UncheckedIOException e) {
            err.println("report: cannot write the report: " + e.getMessage() + "; check --out");
            return ReportInputException.EXIT_STATUS;
        }
    }

    /** report.md and the charts it links to, not yet written. */
    record Rendered(String markdown, List<NamedChart> charts) {
    }

    /** Renders every file; warnings about hlogs that fit no result go to {@code warnings}. */
    static Rendered render(List<JmhResultFile> files, List<Path> hlogs, ValueUnit hlogUnit, boolean svg, PrintStream warnings) {
        StringBuilder md = new StringBuilder("# wsbench report\n\n");
        md.append("From ").append(files.stream().map(f -> "`" + f.source() + "`").collect(Collectors.joining(", ")))
                .append(" by scripts/report.\n\n");
        Set<String> prefixes = new HashSet<>();
        List<NamedChart> allCharts = new ArrayList<>();
        for (JmhResultFile file : files) {
            boolean roundTrip = !RoundTripTable.results(file).isEmpty();
            boolean load = !LoadReport.results(file).isEmpty();
            if (!roundTrip && !load) {
                throw ReportInputException.noResults(file, RoundTripTable.BENCHMARK_CLASS + " or " + String.join(" or ", LoadReport.BENCHMARK_CLASSES),
                        "pass the JSON of scripts/bench or of a load run");
            }
            md.append(runRecord(file));
            String prefix = uniquePrefix(file, prefixes);
            List<NamedChart> charts = new ArrayList<>();
            if (roundTrip) {
                md.append(RoundTripTable.markdown(file));
                charts.addAll(RoundTripTable.charts(file, prefix));
            }
            if (load) {
                md.append(LoadReport.markdown(file));
                Map<Result, Histogram> logs = latencyLogs(LoadReport.results(file), hlogs, warnings);
                charts.addAll(LoadReport.charts(file, prefix, logs, hlogUnit));
            }
            if (!charts.isEmpty()) {
                md.append("### Charts: ").append(file.source().getFileName()).append("\n\n");
                for (NamedChart chart : charts) {
                    String png = CHART_DIR + "/" + chart.name() + ".png";
                    String svgFile = CHART_DIR + "/" + chart.name() + ".svg";
                    md.append("![").append(chart.title()).append("](").append(png).append(")\n");
                    md.append(svg ? "([SVG](" + svgFile + "))\n\n" : "\n");
                }
            }
            allCharts.addAll(charts);
        }
        return new Rendered(md.toString(), allCharts);
    }

    /** Each load result's hlog files, summed; logs that fit no result, or several, are reported on {@code warnings}. */
    private static Map<Result, Histogram> latencyLogs(List<Result> results, List<Path> hlogs, PrintStream warnings) {
        Map<Result, Histogram> logs = new LinkedHashMap<>();
        if (hlogs.isEmpty()) {
            return logs;
        }
        List<String> problems = new ArrayList<>();
        // A directory holds the handshake and slow-subscriber logs too: they are not the results' latency.
        List<Path> latencyLogs = hlogs.stream().filter(p -> HlogNames.isLatencyLog(p.getFileName().toString())).toList();
        HlogFiles.match(latencyLogs, results, problems).forEach((result, files) -> {
            List<Path> measured = new ArrayList<>();
            for (Path file : files) {
                if (HlogFiles.hasIntervals(file)) {
                    measured.add(file);
                } else {
                    // A fork whose trial failed before its first measured iteration ended leaves its log empty.
                    problems.add(file + ": no interval histograms (its fork failed before a measured iteration ended);"
                            + " left out");
                }
            }
            if (!measured.isEmpty()) {
                logs.put(result, HlogFiles.add(measured.stream().map(HlogFiles::read).map(LogSum::histogram).toList()));
            }
        });
        problems.forEach(p -> warnings.println("report: " + p));
        return logs;
    }

    /**
     * The run record the scripts write beside the JSON ({@code NAME.run.txt}: command, git, JVM, machine), or the
     * {@code run.md} of runs recorded before there was one record, when there is one.
     */
    private static String runRecord(JmhResultFile file) {
        Path record = RunRecord.sidecarOf(file.source());
        if (!Files.isRegularFile(record)) {
            record = parentOf(file.source()).resolve("run.md");
        }
        if (!Files.isRegularFile(record)) {
            return "";
        }
        try {
            String text = Files.readString(record, StandardCharsets.UTF_8).strip();
            if (record.getFileName().toString().endsWith(".run.txt")) {
                text = text.lines().map(line -> "- " + line).collect(java.util.stream.Collectors.joining("\n"));
            }
            return "Run of `" + file.source().getFileName() + "` (from " + record.getFileName() + "):\n\n" + text + "\n\n";
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + record + ": " + e.getMessage(), e);
        }
    }

    /** Chart names start with the JSON file's name, made unique when two files share one. */
    private static String uniquePrefix(JmhResultFile file, Set<String> used) {
        String name = file.source().getFileName().toString().replaceFirst("\\.json(\\.gz)?$", "");
        String prefix = name;
        for (int n = 2; !used.add(prefix); n++) {
            prefix = name + "-" + n;
        }
        return prefix;
    }

    private static Path parentOf(Path file) {
        Path parent = file.toAbsolutePath().getParent();
        return parent != null ? parent : Path.of(".");
    }

    /** The parsed command line. */
    private record Options(List<Path> jsonFiles, Path outDir, List<Path> hlogPaths, ValueUnit hlogUnit, boolean svg) {

        static Options parse(String[] args) {
            List<Path> json = new ArrayList<>();
            List<Path> hlogs = new ArrayList<>();
            Path outDir = null;
            ValueUnit unit = ValueUnit.us;
            boolean svg = false;
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                switch (arg) {
                    case "--svg" -> svg = true;
                    case "--out" -> outDir = Path.of(value(args, ++i, arg));
                    case "--hlog-unit" -> unit = ValueUnit.parse(value(args, ++i, arg));
                    case "--hlog" -> {
                        // every following argument up to the next option or .json file is a log or a directory of logs
                        int first = i + 1;
                        while (i + 1 < args.length && !args[i + 1].startsWith("--") && !args[i + 1].endsWith(".json") && !args[i + 1].endsWith(".json.gz")) {
                            hlogs.add(Path.of(args[++i]));
                        }
                        if (i < first) {
                            throw new ReportInputException("--hlog needs at least one .hlog file or directory");
                        }
                    }
                    default -> {
                        if (arg.startsWith("--")) {
                            throw new ReportInputException("unknown option '" + arg + "'");
                        }
                        json.add(Path.of(arg));
                    }
                }
            }
            if (json.isEmpty()) {
                throw new ReportInputException("no JMH JSON file given; pass RESULTS.json (e.g. results/bench/<run>/roundtrip.json)");
            }
            return new Options(json, outDir, hlogs, unit, svg);
        }

        private static String value(String[] args, int i, String option) {
            if (i >= args.length || args[i].startsWith("--")) {
                throw new ReportInputException(option + " needs a value");
            }
            return args[i];
        }
    }
}
