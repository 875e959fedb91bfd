package io.wsbench.report;

import io.wsbench.results.JdkMerge;
import io.wsbench.results.MetricNames;

import io.wsbench.results.JmhResultFile;

import io.wsbench.report.Charts.NamedChart;
import io.wsbench.report.Charts.PercentilePoint;
import io.wsbench.report.Charts.ThroughputPoint;
import io.wsbench.report.HlogFiles.ValueUnit;
import io.wsbench.results.JmhResultFile.Metric;
import io.wsbench.results.JmhResultFile.Result;
import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The report of {@code EchoLoadBenchmark} results, and of the scenarios built like it ({@code BroadcastBenchmark},
 * {@code IdleConnectionsBenchmark}): a markdown table per configuration (load model, connections or subscribers,
 * payload, type, rate and the other parameters) with a row per server, the scenario's own columns (bytes on the wire,
 * the slow subscriber, memory per connection) where its results have them, a side-by-side table for each scenario
 * parameter the file varies (tls, compression, ...), and charts of latency by percentile and of throughput against
 * connections.
 *
 * <p>The score is echoed messages/s; everything else comes from secondary metrics:
 * {@code io.wsbench.jmh.EchoMetricsProfiler} adds latency percentiles, CPU, heap and RSS, and JMH's
 * {@code -prof gc} adds allocation per operation. A metric a run did not record shows as "—".
 */
final class LoadReport {

    static final String BENCHMARK_CLASS = "EchoLoadBenchmark";
    /** Every benchmark this report reads: the echo load and the scenarios that publish the same metrics. */
    static final List<String> BENCHMARK_CLASSES = List.of(BENCHMARK_CLASS, "BroadcastBenchmark", "IdleConnectionsBenchmark");
    static final String SUBSCRIBERS = "subscribers";
    static final String ECHO_PROFILER = "-prof io.wsbench.jmh.EchoMetricsProfiler";
    static final String GC_PROFILER = "-prof gc";
    static final String LOAD_MODEL = "loadModel";
    static final String CONNECTIONS = "connections";
    static final String CLOSED = "closed";
    static final String OPEN = "open";

    static final String LATENCY_COUNT = MetricNames.LATENCY_COUNT;
    static final String CPU_SERVER = MetricNames.cpuPercentOfCore("server");
    static final String CPU_CLIENT = MetricNames.cpuPercentOfCore("client");
    /** The JVM's own work, shared by server and client: collector, compiler, and the rest of the process. */
    static final List<String> CPU_JVM = List.of(MetricNames.cpuPercentOfCore("gc"), MetricNames.cpuPercentOfCore("jit"),
            MetricNames.cpuPercentOfCore("jvmOther"));
    static final String VALID = MetricNames.VALID;
    static final String RATE_SHORTFALL = MetricNames.RATE_SHORTFALL_PERCENT;
    /** The server RSS cell of a server inside the benchmark JVM, which has no RSS of its own. */
    static final String IN_JVM = "in JVM";
    /** Marks a row whose client had a thread at least 90 % busy: it may measure the client, not the server. */
    static final String CLIENT_SATURATED_MARK = " ⚠";

    private static final List<String> LEADING_PARAMS = List.of(LOAD_MODEL, CONNECTIONS, SUBSCRIBERS, "payloadBytes", "type", "rate");

    /** A table column filled from one secondary metric; {@code percentile} is 0 for columns that are not latencies. */
    private record Column(String header, String metric, String unit, String addedBy, double percentile) {
        boolean isLatency() {
            return percentile > 0;
        }
    }

    /** The server's own CPU per message comes first: on a shared machine it is the server's efficiency, whatever the client. */
    private static final Column SERVER_CPU_PER_MESSAGE =
            new Column("server CPU µs/msg", MetricNames.cpuMicrosPerMessage("server"), "us/msg", ECHO_PROFILER, 0);
    /** Named by the collector's metric, it shows the sum of the JVM's own roles ({@link #jvmCell}). */
    private static final Column JVM_CPU_PER_MESSAGE =
            new Column("JVM (GC+JIT+other) µs/msg", MetricNames.cpuMicrosPerMessage("gc"), "us/msg", ECHO_PROFILER, 0);
    /**
     * The compiler's share of the JVM's CPU, after it when some result has it: CPU the JIT spent in the measured
     * iterations, so a row whose JIT was still compiling shows it was not yet warm.
     */
    private static final Column JIT_CPU_PER_MESSAGE =
            new Column("JIT CPU µs/msg", MetricNames.cpuMicrosPerMessage("jit"), "us/msg", ECHO_PROFILER, 0);

    private static final List<Column> METRIC_COLUMNS = List.of(
            new Column("p50 µs", MetricNames.LATENCY_P50, "us", ECHO_PROFILER, 50.0),
            new Column("p90 µs", MetricNames.LATENCY_P90, "us", ECHO_PROFILER, 90.0),
            new Column("p99 µs", MetricNames.LATENCY_P99, "us", ECHO_PROFILER, 99.0),
            new Column("p99.9 µs", MetricNames.LATENCY_P999, "us", ECHO_PROFILER, 99.9),
            new Column("max µs", MetricNames.LATENCY_MAX, "us", ECHO_PROFILER, 100.0),
            new Column("send lag p99 µs", MetricNames.SEND_LAG_P99, "us", ECHO_PROFILER, 0),
            new Column("server % core", CPU_SERVER, "%", ECHO_PROFILER, 0),
            new Column("client % core", CPU_CLIENT, "%", ECHO_PROFILER, 0),
            new Column("client CPU µs/msg", MetricNames.cpuMicrosPerMessage("client"), "us/msg", ECHO_PROFILER, 0),
            JVM_CPU_PER_MESSAGE,
            new Column("heap after GC MiB", MetricNames.HEAP_AFTER_GC, "MiB", ECHO_PROFILER, 0),
            new Column("RSS MiB", MetricNames.RSS, "MiB", ECHO_PROFILER, 0),
            new Column("server RSS MiB", MetricNames.SERVER_RSS, "MiB", ECHO_PROFILER, 0),
            new Column("alloc B/msg", "gc.alloc.rate.norm", "B/op", GC_PROFILER, 0));

    /** A scenario's own columns, shown only when some result of the file has the metric. */
    private static final List<Column> SCENARIO_COLUMNS = List.of(
            new Column("wire B/msg", MetricNames.WIRE_BYTES_PER_MESSAGE, "B/msg", ECHO_PROFILER, 0),
            new Column("slow lost", MetricNames.SLOW_LOST, "msgs", ECHO_PROFILER, 0),
            new Column("slow disconnected", MetricNames.SLOW_DISCONNECTED, "1=disconnected", ECHO_PROFILER, 0),
            new Column("slow backlog", MetricNames.SLOW_BACKLOG, "msgs", ECHO_PROFILER, 0),
            new Column("slow p99 µs", MetricNames.SLOW_LATENCY_P99, "us", ECHO_PROFILER, 0),
            new Column("connect/s", MetricNames.CONNECT_PER_SECOND, "conn/s", ECHO_PROFILER, 0),
            new Column("handshake p50 µs", MetricNames.HANDSHAKE_P50, "us", ECHO_PROFILER, 0),
            new Column("handshake p99 µs", MetricNames.HANDSHAKE_P99, "us", ECHO_PROFILER, 0),
            new Column("server heap B/conn", MetricNames.HEAP_BYTES_PER_CONNECTION, "B/conn", ECHO_PROFILER, 0),
            new Column("server RSS B/conn", MetricNames.RSS_BYTES_PER_CONNECTION, "B/conn", ECHO_PROFILER, 0),
            new Column("client heap B/conn", MetricNames.CLIENT_HEAP_BYTES_PER_CONNECTION, "B/conn", ECHO_PROFILER, 0));

    /** The parameters whose values a file may compare side by side, each server with each value. */
    static final List<String> COMPARED_PARAMS = List.of(JdkMerge.JDK, "tls", "tlsProvider", "compression", "payloadContent",
            "slowSubscriber", "serverProcess");

    /** The metric columns of {@code file}'s tables: the common ones, and the JIT and scenario columns its results recorded. */
    private static List<Column> columns(JmhResultFile file) {
        List<Column> columns = new ArrayList<>(METRIC_COLUMNS);
        if (recorded(file, JIT_CPU_PER_MESSAGE)) {
            columns.add(columns.indexOf(JVM_CPU_PER_MESSAGE) + 1, JIT_CPU_PER_MESSAGE);
        }
        SCENARIO_COLUMNS.stream().filter(column -> recorded(file, column)).forEach(columns::add);
        return columns;
    }

    private static boolean recorded(JmhResultFile file, Column column) {
        return results(file).stream().anyMatch(r -> r.secondaryMetrics().containsKey(column.metric()));
    }

    /** Percentile metrics for the chart when there is no hlog; p99.99 is not in the table but is in the JSON. */
    private static final Map<String, Double> CHART_PERCENTILES = Map.of(
            MetricNames.LATENCY_P50, 50.0, MetricNames.LATENCY_P90, 90.0, MetricNames.LATENCY_P99, 99.0,
            MetricNames.LATENCY_P999, 99.9, MetricNames.LATENCY_P9999, 99.99);

    private enum Note {
        FAILED(Markdown.FAILED + ": JMH ran the other combinations of these parameters but wrote no result for this one, "
                + "so its trial failed; the reason is in the JMH log."),
        UNRESOLVED(Markdown.UNRESOLVED_NOTE),
        INVALID("valid no: the open-loop client fell short of the target rate (rateShortfallPercent), so the server was "
                + "not offered the load the heading names and the latencies describe a lighter load."),
        NO_ERROR(Markdown.NO_ERROR_NOTE),
        CLOSED_LOOP_VALID("valid n/a: closed loop, where each connection sends its next message when an echo returns; "
                + "there is no target rate to miss."),
        SERVER_IN_JVM(IN_JVM + " (server RSS): the server runs inside the benchmark JVM, so its memory is in the RSS "
                + "column, the client's with it; server RSS is measured for a server in its own process (the Python "
                + "servers: the RSS of its process tree after the run)."),
        CLIENT_SATURATED(CLIENT_SATURATED_MARK.trim() + " after a server: a client thread was at least 90 % busy (of one core)"
                + " in some iteration, so that row may measure the client rather than the server; more -p clientThreads,"
                + " fewer connections or a lower rate give the client headroom.");

        final String text;

        Note(String text) {
            this.text = text;
        }
    }

    private LoadReport() {
    }

    /** The load results of {@code file}, possibly none. */
    static List<Result> results(JmhResultFile file) {
        return file.results().stream()
                .filter(r -> BENCHMARK_CLASSES.stream().anyMatch(name -> r.shortName().startsWith(name + ".")))
                .toList();
    }

    /**
     * The markdown section for one file: run conditions, a table per configuration and method, notes.
     *
     * @throws ReportInputException if the file has no load result or a unit the report cannot convert
     */
    static String markdown(JmhResultFile file) {
        ServerGrid grid = grid(file);
        Set<Note> notes = EnumSet.noneOf(Note.class);
        SteadyState steadiness = new SteadyState();
        Map<String, String> missing = new TreeMap<>();
        List<Column> columns = columns(file);
        StringBuilder out = new StringBuilder();
        out.append("## Load: ").append(file.source().getFileName()).append("\n\n");
        out.append(Markdown.runConditions(results(file))).append("\n\n");
        out.append("server CPU µs/msg is the CPU of the server's own threads per echoed message, its efficiency whatever ")
                .append("the client did; msg/s is JMH's score (echoed messages per second; for a broadcast, verified deliveries")
                .append(" per second, each publish counting once per member) ± its 99.9 % confidence ")
                .append("half-width; latencies are percentiles in µs of the merged distribution of every measured echo, ")
                .append("from each message's actual send in a closed loop and from the time it was due in an open loop ")
                .append("(coordinated omission corrected; send lag is how late the client sent); % core is of one core ")
                .append("(100 = one core busy); JVM µs/msg is the collector's, compiler's and the rest of the process's CPU, ")
                .append("which serve both sides (the gc column's name; ")
                .append(columns.contains(JIT_CPU_PER_MESSAGE) ? "jvmOther is in the JSON); " + JIT_CPU_PER_MESSAGE.header()
                        + " is the compiler's part of it in the measured iterations (the more of it, the more the JIT was "
                        + "still compiling while the row was measured)" : "jit and jvmOther are in the JSON)")
                .append("; alloc B/msg is JMH's ")
                .append("gc.alloc.rate.norm, the bytes the benchmark JVM allocated per echoed message.\n\n");
        out.append(Markdown.sameForEveryRow(grid.constants()));
        List<String> header = new ArrayList<>(List.of("server", SERVER_CPU_PER_MESSAGE.header(), "msg/s"));
        columns.forEach(c -> header.add(c.header()));
        header.add("valid");
        try {
            for (String method : grid.methods()) {
                for (Map<String, String> config : grid.configs()) {
                    String heading = (grid.methods().size() > 1 ? method + " · " : "")
                            + Markdown.configTitle(titleParams(grid, config));
                    List<List<String>> rows = new ArrayList<>();
                    List<String> cpu = new ArrayList<>();
                    for (String server : grid.servers(config)) {
                        Optional<Result> result = grid.result(method, config, server);
                        if (result.isEmpty()) {
                            notes.add(Note.FAILED);
                            rows.add(failedRow(server, header.size()));
                        } else {
                            String steadyMark = steadiness.mark(heading, server, result.get());
                            rows.add(row(server, result.get(), config, columns, steadyMark, notes, missing));
                            cpuShare(server, result.get()).ifPresent(cpu::add);
                        }
                    }
                    out.append("### ").append(heading).append("\n\n");
                    out.append(Markdown.table(header, rows));
                    if (!cpu.isEmpty()) {
                        out.append("\nWho used the cores (% of one core; the machine has "
                                + Runtime.getRuntime().availableProcessors() + " here, server and client share them):\n\n");
                        cpu.forEach(line -> out.append("- ").append(line).append('\n'));
                    }
                    out.append('\n');
                }
                for (String param : COMPARED_PARAMS) {
                    out.append(ParamComparison.markdown(grid, method, "msg/s", param));
                }
            }
        } catch (IllegalArgumentException e) {
            throw ReportInputException.unknownUnit(file, e);
        }
        appendNotes(out, notes, missing, steadiness, Markdown.conformanceNote(file.source(), grid.servers()));
        return out.toString();
    }

    /**
     * (a) latency by percentile for every configuration, from the hlog of each result when there is one
     * (the full distribution) and from the profiler's percentiles otherwise; (b) throughput against
     * connections for every closed-loop configuration run at two or more connection counts.
     *
     * @param logs each result's latency histogram, summed over its hlog files, in {@code unit}
     */
    static List<NamedChart> charts(JmhResultFile file, String namePrefix, Map<Result, Histogram> logs, ValueUnit unit) {
        ServerGrid grid = grid(file);
        List<NamedChart> charts = new ArrayList<>();
        try {
            for (String method : grid.methods()) {
                boolean severalMethods = grid.methods().size() > 1;
                String methodPart = severalMethods ? method + " · " : "";
                String kindSuffix = severalMethods ? "-" + method : "";
                for (Map<String, String> config : grid.configs()) {
                    Map<String, List<PercentilePoint>> series = new LinkedHashMap<>();
                    for (String server : grid.servers(config)) {
                        grid.result(method, config, server).ifPresent(r -> {
                            Histogram log = logs.get(r);
                            if (log != null) {
                                series.put(server + " (hlog)", HlogFiles.percentilePoints(log, unit));
                            } else {
                                series.put(server + " (JMH metrics)", percentilePoints(r));
                            }
                        });
                    }
                    series.values().removeIf(List::isEmpty);
                    if (!series.isEmpty()) {
                        String title = "Latency by percentile · " + methodPart + Markdown.configTitle(titleParams(grid, config));
                        Map<String, String> named = grid.distinguishing(config, Set.of());
                        charts.add(new NamedChart(Charts.fileName(namePrefix, "load-latency" + kindSuffix, named), title,
                                Charts.latencyByPercentile(title, series)));
                    }
                }
                charts.addAll(throughputCharts(grid, method, methodPart, namePrefix, "load-throughput" + kindSuffix));
            }
        } catch (IllegalArgumentException e) {
            throw ReportInputException.unknownUnit(file, e);
        }
        return charts;
    }

    private static List<NamedChart> throughputCharts(ServerGrid grid, String method, String methodPart, String namePrefix,
                                                     String kind) {
        // One chart per closed-loop configuration without its connection count: the x axis.
        Map<Map<String, String>, Map<String, List<ThroughputPoint>>> families = new LinkedHashMap<>();
        for (Map<String, String> config : grid.configs()) {
            String axis = config.containsKey(CONNECTIONS) ? CONNECTIONS : SUBSCRIBERS;
            if (!CLOSED.equals(config.get(LOAD_MODEL)) || !config.containsKey(axis)) {
                continue;
            }
            Map<String, String> family = new LinkedHashMap<>(config);
            int connections = Integer.parseInt(family.remove(axis));
            for (String server : grid.servers(config)) {
                grid.result(method, config, server).ifPresent(r -> families
                        .computeIfAbsent(family, f -> new LinkedHashMap<>())
                        .computeIfAbsent(server, s -> new ArrayList<>())
                        .add(new ThroughputPoint(connections,
                                Units.toPerSecond(r.primaryMetric().score(), r.primaryMetric().scoreUnit()),
                                Units.toPerSecond(r.primaryMetric().scoreError(), r.primaryMetric().scoreUnit()))));
            }
        }
        List<NamedChart> charts = new ArrayList<>();
        families.forEach((family, series) -> {
            long connectionCounts = series.values().stream().flatMap(List::stream)
                    .mapToInt(ThroughputPoint::connections).distinct().count();
            if (connectionCounts >= 2) {
                String title = "Throughput vs connections · " + methodPart + Markdown.configTitle(titleParams(grid, family));
                Map<String, String> named = grid.distinguishing(family, Set.of());
                named.remove(LOAD_MODEL); // always closed here
                charts.add(new NamedChart(Charts.fileName(namePrefix, kind, named), title,
                        Charts.throughputVsConnections(title, series)));
            }
        });
        return charts;
    }

    /** Model, connections, payload and type always; the target rate for the open loop; others when they vary. */
    private static Map<String, String> titleParams(ServerGrid grid, Map<String, String> config) {
        Set<String> always = OPEN.equals(config.get(LOAD_MODEL)) ? Set.copyOf(LEADING_PARAMS)
                : Set.of(LOAD_MODEL, CONNECTIONS, SUBSCRIBERS, "payloadBytes", "type");
        return grid.distinguishing(config, always);
    }

    private static ServerGrid grid(JmhResultFile file) {
        List<Result> results = results(file);
        if (results.isEmpty()) {
            throw ReportInputException.noResults(file, String.join(" or ", BENCHMARK_CLASSES),
                    "pass the JSON of a load, broadcast or idle-connections run");
        }
        return new ServerGrid(file.source().toString(), results, LEADING_PARAMS);
    }

    private static List<String> failedRow(String server, int columns) {
        List<String> cells = new ArrayList<>(List.of(server, Markdown.FAILED));
        while (cells.size() < columns) {
            cells.add(Markdown.NONE);
        }
        return cells;
    }

    /**
     * {@code steadyMark} goes after the score ({@link SteadyState#mark}); {@code missing} collects each absent metric
     * with the profiler that adds it.
     */
    private static List<String> row(String server, Result r, Map<String, String> config, List<Column> columns,
                                    String steadyMark, Set<Note> notes, Map<String, String> missing) {
        Metric score = r.primaryMetric();
        if (Double.isNaN(score.scoreError())) {
            notes.add(Note.NO_ERROR);
        }
        boolean saturated = value(r, MetricNames.CLIENT_SATURATED).filter(s -> s >= 0.5).isPresent();
        if (saturated) {
            notes.add(Note.CLIENT_SATURATED);
        }
        List<String> cells = new ArrayList<>(List.of(server + (saturated ? CLIENT_SATURATED_MARK : "")));
        cells.add(metricCell(r, SERVER_CPU_PER_MESSAGE, missing));
        cells.add(Markdown.withError(
                Units.toPerSecond(score.score(), score.scoreUnit()), Units.toPerSecond(score.scoreError(), score.scoreUnit()))
                + steadyMark);
        Optional<Double> count = value(r, LATENCY_COUNT);
        for (Column column : columns) {
            if (column.equals(JVM_CPU_PER_MESSAGE)) {
                cells.add(jvmCell(r, missing));
                continue;
            }
            if (column.metric().equals(MetricNames.SERVER_RSS) && !r.secondaryMetrics().containsKey(MetricNames.SERVER_RSS)) {
                notes.add(Note.SERVER_IN_JVM);
                cells.add(IN_JVM);
                continue;
            }
            Metric m = r.secondaryMetrics().get(column.metric());
            if (m == null) {
                missing.put(column.metric(), column.addedBy());
                cells.add(Markdown.NONE);
            } else if (column.isLatency()) {
                boolean unresolved = column.percentile() < 100 && count.isPresent()
                        && !Markdown.resolves(count.get().longValue(), column.percentile());
                if (unresolved) {
                    notes.add(Note.UNRESOLVED);
                }
                cells.add(Markdown.number(Units.toMicros(m.score(), m.scoreUnit())) + (unresolved ? Markdown.UNRESOLVED : ""));
            } else {
                // A unit other than the header's is shown with the value rather than mislabelled.
                cells.add(Markdown.number(m.score()) + (column.unit().equals(m.scoreUnit()) ? "" : " " + m.scoreUnit()));
            }
        }
        cells.add(validCell(r, config, notes, missing));
        return cells;
    }

    private static String metricCell(Result r, Column column, Map<String, String> missing) {
        Metric m = r.secondaryMetrics().get(column.metric());
        if (m == null) {
            missing.put(column.metric(), column.addedBy());
            return Markdown.NONE;
        }
        return Markdown.number(m.score()) + (column.unit().equals(m.scoreUnit()) ? "" : " " + m.scoreUnit());
    }

    /** GC + JIT + other JVM CPU per message: the JVM's own work, which no one side can be charged with. */
    private static String jvmCell(Result r, Map<String, String> missing) {
        double total = 0;
        for (String role : List.of("gc", "jit", "jvmOther")) {
            Optional<Double> v = value(r, MetricNames.cpuMicrosPerMessage(role));
            if (v.isEmpty()) {
                missing.put(MetricNames.cpuMicrosPerMessage(role), ECHO_PROFILER);
                return Markdown.NONE;
            }
            total += v.get();
        }
        return Markdown.number(total);
    }

    private static String validCell(Result r, Map<String, String> config, Set<Note> notes, Map<String, String> missing) {
        Optional<Double> valid = value(r, VALID);
        if (valid.isPresent()) {
            if (valid.get() >= 0.5) {
                return "yes";
            }
            notes.add(Note.INVALID);
            return "no" + value(r, RATE_SHORTFALL).map(s -> " (" + Markdown.number(s) + " % short)").orElse("");
        }
        if (CLOSED.equals(config.get(LOAD_MODEL))) {
            notes.add(Note.CLOSED_LOOP_VALID);
            return "n/a";
        }
        missing.put(VALID, ECHO_PROFILER);
        return Markdown.NONE;
    }

    /** {@code netty: server 95 % + client 80 % (busiest client thread 80 %) + JVM 6 % of a core}. */
    private static Optional<String> cpuShare(String server, Result r) {
        Optional<Double> serverCpu = value(r, CPU_SERVER);
        Optional<Double> clientCpu = value(r, CPU_CLIENT);
        if (serverCpu.isEmpty() || clientCpu.isEmpty()) {
            return Optional.empty();
        }
        double jvm = CPU_JVM.stream().map(m -> value(r, m)).flatMap(Optional::stream).mapToDouble(Double::doubleValue).sum();
        String busiest = value(r, MetricNames.CLIENT_BUSIEST_THREAD_PERCENT)
                .map(b -> String.format(Locale.ROOT, " (busiest client thread %.0f %%)", b)).orElse("");
        return Optional.of(String.format(Locale.ROOT, "%s: server %.0f %% + client %.0f %%%s + JVM %.0f %% of a core",
                server, serverCpu.get(), clientCpu.get(), busiest, jvm));
    }

    /** The profiler's latency percentiles that latency.count resolves, in µs. */
    private static List<PercentilePoint> percentilePoints(Result r) {
        Optional<Double> count = value(r, LATENCY_COUNT);
        List<PercentilePoint> points = new ArrayList<>();
        CHART_PERCENTILES.forEach((metric, percentile) -> {
            Metric m = r.secondaryMetrics().get(metric);
            if (m != null && (count.isEmpty() || Markdown.resolves(count.get().longValue(), percentile))) {
                points.add(new PercentilePoint(percentile, Units.toMicros(m.score(), m.scoreUnit())));
            }
        });
        points.sort((a, b) -> Double.compare(a.percentile(), b.percentile()));
        return points;
    }

    private static Optional<Double> value(Result r, String metric) {
        return Optional.ofNullable(r.secondaryMetrics().get(metric)).map(Metric::score);
    }

    private static void appendNotes(StringBuilder out, Set<Note> notes, Map<String, String> missing,
                                    SteadyState steadiness, String conformance) {
        if (notes.isEmpty() && missing.isEmpty() && !steadiness.marked() && conformance.isEmpty()) {
            return;
        }
        out.append("Notes:\n\n");
        if (!missing.isEmpty()) {
            Map<String, Set<String>> byProfiler = new TreeMap<>();
            missing.forEach((metric, profiler) -> byProfiler.computeIfAbsent(profiler, p -> new TreeSet<>()).add(metric));
            out.append("- ").append(Markdown.NONE).append(": not in the JSON; ")
                    .append(byProfiler.entrySet().stream()
                            .map(e -> String.join(", ", e.getValue()) + " come" + (e.getValue().size() == 1 ? "s" : "")
                                    + " from " + e.getKey())
                            .collect(Collectors.joining("; ")))
                    .append(". Run with that profiler to fill them in.\n");
        }
        notes.forEach(n -> out.append("- ").append(n.text).append('\n'));
        out.append(steadiness.note()).append(conformance).append('\n');
    }
}
