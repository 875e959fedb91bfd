package io.wsbench.report;

import io.wsbench.results.MetricNames;

import io.wsbench.results.JdkMerge;
import io.wsbench.results.JmhResultFile;
import io.wsbench.results.JmhResultFileException;

import io.wsbench.report.Charts.NamedChart;
import io.wsbench.report.Charts.PercentilePoint;
import io.wsbench.results.JmhResultFile.Metric;
import io.wsbench.results.JmhResultFile.Result;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Markdown tables of {@code EchoRoundTripBenchmark} results: for each configuration (payload, type and
 * the other parameters) a row per server with round trips/s, p50, p99 and p99.9 latency, the CPU of the
 * server's and the client's threads per round trip (with the metrics profiler; the JIT's too, when recorded), a mark
 * on a score whose forks had not settled ({@link SteadyState}), and the ratio of its round trips/s to
 * each floor's in the same file: {@code socket} (a blocking ServerSocket thread, the physical floor) and {@code
 * rawtcp} (the same bytes through Netty's event loop).
 *
 * <pre>java -cp target/benchmarks.jar io.wsbench.report.RoundTripTable roundtrip.json [more.json …]</pre>
 *
 * Prints the markdown and writes nothing; exit status 2 on bad input (missing file, not JMH JSON, no
 * round-trip results).
 */
public final class RoundTripTable {

    static final String BENCHMARK_CLASS = "EchoRoundTripBenchmark";
    static final String THROUGHPUT = "throughput";
    static final String LATENCY = "latency";
    /** The floors every row is divided by, the physical one first. */
    static final List<String> FLOORS = List.of("socket", "rawtcp");
    private static final List<String> LEADING_PARAMS = List.of("payloadBytes", "type");
    private static final double[] TABLE_PERCENTILES = {50.0, 99.0, 99.9};

    private static final String CUT_SHORT_MARK = "‡";

    private static final String CLIENT_CPU_HEADER = "client CPU µs/rt";
    private static final List<String> HEADER = List.of("server", "round trips/s", "p50 µs", "p99 µs", "p99.9 µs",
            "server CPU µs/rt", CLIENT_CPU_HEADER, "vs " + FLOORS.get(0), "vs " + FLOORS.get(1));
    /** The compiler threads' CPU in the measured iterations: a row whose JIT is still busy was not yet warm. */
    private static final String JIT_ROLE = "jit";
    private static final String JIT_CPU_HEADER = "JIT CPU µs/rt";

    /** Explanations printed under the tables, each only when a cell needs it. */
    private enum Note {
        FAILED(Markdown.FAILED + ": JMH ran the other combinations of these parameters but wrote no result for this one, "
                + "so its trial failed; the reason is in the JMH log (jmh.log beside scripts/bench's JSON)."),
        NO_FLOOR("vs FLOOR " + Markdown.NONE + ": no throughput of that floor for this configuration in this file "
                + "(not run, or its trial failed), so there is no floor to divide by; run with " + String.join(",", FLOORS)
                + " in -p server."),
        NO_CPU("CPU µs/rt " + Markdown.NONE + ": run the throughput method with -prof io.wsbench.jmh.EchoMetricsProfiler."),
        CUT_SHORT(CUT_SHORT_MARK + ": the trial failed part-way; the figure stands on fewer measurement iterations than "
                + "planned (the reason is in the JMH log). Treat it as a partial result."),
        UNRESOLVED(Markdown.UNRESOLVED_NOTE),
        NO_ERROR(Markdown.NO_ERROR_NOTE),
        NO_THROUGHPUT("round trips/s " + Markdown.NONE + ": " + BENCHMARK_CLASS + "." + THROUGHPUT + " is not in this file."),
        NO_LATENCY("p50–p99.9 " + Markdown.NONE + ": " + BENCHMARK_CLASS + "." + LATENCY + " is not in this file.");

        final String text;

        Note(String text) {
            this.text = text;
        }
    }

    private RoundTripTable() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Prints the tables of every file, or nothing and exit status 2 when any file is unusable. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0) {
            err.println("usage: RoundTripTable RESULTS.json [more.json …]  (JMH JSON with " + BENCHMARK_CLASS
                    + " results, as scripts/bench writes it)");
            return ReportInputException.EXIT_STATUS;
        }
        StringBuilder markdown = new StringBuilder();
        try {
            for (String arg : args) {
                markdown.append(markdown(JmhResultFile.read(Path.of(arg))));
            }
        } catch (JmhResultFileException | ReportInputException e) {
            err.println("RoundTripTable: " + e.getMessage());
            return ReportInputException.EXIT_STATUS;
        }
        out.print(markdown);
        return 0;
    }

    /** The round-trip results of {@code file}, possibly none. */
    static List<Result> results(JmhResultFile file) {
        return file.results().stream().filter(r -> r.shortName().startsWith(BENCHMARK_CLASS + ".")).toList();
    }

    /**
     * The markdown section for one file: run conditions, a table per configuration, notes.
     *
     * @throws ReportInputException if the file has no round-trip result or a unit the report cannot convert
     */
    static String markdown(JmhResultFile file) {
        ServerGrid grid = grid(file);
        Set<Note> notes = EnumSet.noneOf(Note.class);
        SteadyState steadiness = new SteadyState();
        boolean jit = results(file).stream().filter(r -> ServerGrid.method(r).equals(THROUGHPUT))
                .anyMatch(r -> r.secondaryMetrics().containsKey(MetricNames.cpuMicrosPerMessage(JIT_ROLE)));
        StringBuilder out = new StringBuilder();
        out.append("## Round trips: ").append(file.source().getFileName()).append("\n\n");
        out.append(Markdown.runConditions(results(file))).append("\n\n");
        out.append("One connection, one message in flight: send, wait for the verified echo, repeat. ")
                .append("round trips/s is JMH's throughput score ± its 99.9 % confidence half-width; ")
                .append("p50–p99.9 are JMH SampleTime percentiles over all forks, in µs; ")
                .append("server and client CPU µs/rt are the CPU of the server's and the client's threads per round trip ")
                .append("(the client is the JMH thread itself, writing and reading a blocking socket); ")
                .append(jit ? JIT_CPU_HEADER + " is the compiler threads' CPU per round trip in the measured iterations "
                        + "(the more of it, the more the JIT was still compiling while the row was measured); " : "")
                .append("vs socket and vs rawtcp are round trips/s divided by that floor's for the same configuration: ")
                .append("socket is a blocking ServerSocket thread, the least an echo over loopback costs here, rawtcp the ")
                .append("same bytes through Netty's event loop (below 1: slower than the floor).\n\n");
        out.append(Markdown.sameForEveryRow(grid.constants()));
        try {
            for (Map<String, String> config : grid.configs()) {
                List<List<String>> rows = new ArrayList<>();
                for (String server : grid.servers(config)) {
                    rows.add(row(grid, config, server, jit, notes, steadiness));
                }
                out.append("### ").append(heading(grid, config)).append("\n\n");
                out.append(Markdown.table(header(jit), rows)).append('\n');
            }
            out.append(ParamComparison.markdown(grid, THROUGHPUT, "round trips/s", JdkMerge.JDK));
        } catch (IllegalArgumentException e) {
            throw ReportInputException.unknownUnit(file, e);
        }
        String conformance = Markdown.conformanceNote(file.source(), grid.servers());
        if (!notes.isEmpty() || steadiness.marked() || !conformance.isEmpty()) {
            out.append("Notes:\n\n");
            notes.forEach(n -> out.append("- ").append(n.text).append('\n'));
            out.append(steadiness.note()).append(conformance).append('\n');
        }
        return out.toString();
    }

    /** Latency-by-percentile charts, one per configuration, from JMH's SampleTime percentiles. */
    static List<NamedChart> charts(JmhResultFile file, String namePrefix) {
        ServerGrid grid = grid(file);
        List<NamedChart> charts = new ArrayList<>();
        try {
            for (Map<String, String> config : grid.configs()) {
                Map<String, List<PercentilePoint>> series = new LinkedHashMap<>();
                for (String server : grid.servers(config)) {
                    grid.result(LATENCY, config, server).ifPresent(r -> series.put(server, percentilePoints(r.primaryMetric())));
                }
                series.values().removeIf(List::isEmpty);
                if (!series.isEmpty()) {
                    Map<String, String> shown = grid.distinguishing(config, Set.copyOf(LEADING_PARAMS));
                    String title = "Round-trip latency by percentile · " + Markdown.configTitle(shown) + " · 1 connection";
                    charts.add(new NamedChart(Charts.fileName(namePrefix, "roundtrip-latency", grid.distinguishing(config, Set.of())),
                            title, Charts.latencyByPercentile(title, series)));
                }
            }
        } catch (IllegalArgumentException e) {
            throw ReportInputException.unknownUnit(file, e);
        }
        return charts;
    }

    private static ServerGrid grid(JmhResultFile file) {
        List<Result> results = results(file);
        if (results.isEmpty()) {
            throw ReportInputException.noResults(file, BENCHMARK_CLASS, "pass the roundtrip.json that scripts/bench writes");
        }
        return new ServerGrid(file.source().toString(), results, LEADING_PARAMS);
    }

    /** A table's heading, and how the steady-state note names the table. */
    private static String heading(ServerGrid grid, Map<String, String> config) {
        return grid.heading(config, LEADING_PARAMS);
    }

    /** The columns; the JIT's only when some row has it, as a column of dashes would only repeat the CPU note. */
    private static List<String> header(boolean jit) {
        List<String> header = new ArrayList<>(HEADER);
        if (jit) {
            header.add(HEADER.indexOf(CLIENT_CPU_HEADER) + 1, JIT_CPU_HEADER);
        }
        return header;
    }

    private static List<String> row(ServerGrid grid, Map<String, String> config, String server, boolean jit,
            Set<Note> notes, SteadyState steadiness) {
        List<String> cells = new ArrayList<>();
        cells.add(server);
        cells.add(throughputCell(grid, config, server, notes, steadiness));
        cells.addAll(latencyCells(grid, config, server, notes));
        cells.add(cpuCell(grid, config, server, "server", notes));
        cells.add(cpuCell(grid, config, server, "client", notes));
        if (jit) {
            cells.add(cpuCell(grid, config, server, JIT_ROLE, notes));
        }
        for (String floor : FLOORS) {
            cells.add(floorRatioCell(grid, config, server, floor, notes));
        }
        return cells;
    }

    /** The row's steadiness is judged here, on the throughput method: SampleTime's iterations are histograms. */
    private static String throughputCell(ServerGrid grid, Map<String, String> config, String server, Set<Note> notes,
            SteadyState steadiness) {
        if (!grid.ran(THROUGHPUT)) {
            notes.add(Note.NO_THROUGHPUT);
            return Markdown.NONE;
        }
        Optional<Result> result = grid.result(THROUGHPUT, config, server);
        if (result.isEmpty()) {
            notes.add(Note.FAILED);
            return Markdown.FAILED;
        }
        Metric m = result.get().primaryMetric();
        if (Double.isNaN(m.scoreError())) {
            notes.add(Note.NO_ERROR);
        }
        return Markdown.withError(Units.toPerSecond(m.score(), m.scoreUnit()), Units.toPerSecond(m.scoreError(), m.scoreUnit()))
                + cutShortMark(result.get(), notes) + steadiness.mark(heading(grid, config), server, result.get());
    }

    private static List<String> latencyCells(ServerGrid grid, Map<String, String> config, String server, Set<Note> notes) {
        if (!grid.ran(LATENCY)) {
            notes.add(Note.NO_LATENCY);
            return List.of(Markdown.NONE, Markdown.NONE, Markdown.NONE);
        }
        Optional<Result> result = grid.result(LATENCY, config, server);
        if (result.isEmpty()) {
            notes.add(Note.FAILED);
            return List.of(Markdown.FAILED, Markdown.NONE, Markdown.NONE);
        }
        Metric m = result.get().primaryMetric();
        long samples = Markdown.sampleCount(m);
        List<String> cells = new ArrayList<>();
        for (double p : TABLE_PERCENTILES) {
            Double value = m.percentiles().get(p);
            if (value == null) {
                cells.add(Markdown.NONE);
                continue;
            }
            boolean unresolved = samples > 0 && !Markdown.resolves(samples, p);
            if (unresolved) {
                notes.add(Note.UNRESOLVED);
            }
            cells.add(Markdown.number(Units.toMicros(value, m.scoreUnit())) + (unresolved ? Markdown.UNRESOLVED : "")
                    + cutShortMark(result.get(), notes));
        }
        return cells;
    }

    private static String cutShortMark(Result result, Set<Note> notes) {
        if (result.complete()) {
            return "";
        }
        notes.add(Note.CUT_SHORT);
        return " " + CUT_SHORT_MARK;
    }

    private static String cpuCell(ServerGrid grid, Map<String, String> config, String server, String role, Set<Note> notes) {
        Optional<Result> result = grid.result(THROUGHPUT, config, server);
        if (result.isEmpty()) {
            return Markdown.NONE;
        }
        Metric m = result.get().secondaryMetrics().get(MetricNames.cpuMicrosPerMessage(role));
        if (m == null) {
            notes.add(Note.NO_CPU);
            return Markdown.NONE;
        }
        return Markdown.number(m.score());
    }

    private static String floorRatioCell(ServerGrid grid, Map<String, String> config, String server, String floorName,
            Set<Note> notes) {
        Optional<Double> throughput = roundTripsPerSecond(grid, config, server);
        if (throughput.isEmpty()) {
            return Markdown.NONE;
        }
        Optional<Double> floor = roundTripsPerSecond(grid, config, floorName);
        if (floor.isEmpty()) {
            notes.add(Note.NO_FLOOR);
            return Markdown.NONE;
        }
        return String.format(Locale.ROOT, "%.2f×", throughput.get() / floor.get());
    }

    private static Optional<Double> roundTripsPerSecond(ServerGrid grid, Map<String, String> config, String server) {
        return grid.result(THROUGHPUT, config, server)
                .map(r -> Units.toPerSecond(r.primaryMetric().score(), r.primaryMetric().scoreUnit()));
    }

    /** SampleTime percentiles strictly between 0 and 100 that the sample count resolves, in µs. */
    private static List<PercentilePoint> percentilePoints(Metric m) {
        long samples = Markdown.sampleCount(m);
        List<PercentilePoint> points = new ArrayList<>();
        m.percentiles().forEach((p, value) -> {
            if (p > 0 && p < 100 && (samples == 0 || Markdown.resolves(samples, p))) {
                points.add(new PercentilePoint(p, Units.toMicros(value, m.scoreUnit())));
            }
        });
        return points;
    }
}
