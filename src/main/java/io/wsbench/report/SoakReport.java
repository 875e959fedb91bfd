package io.wsbench.report;

import io.wsbench.results.MetricNames;

import io.wsbench.results.JmhResultFile;
import io.wsbench.results.JmhResultFileException;

import io.wsbench.results.JmhResultFile.Metric;
import io.wsbench.results.JmhResultFile.Result;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.commons.math3.stat.regression.SimpleRegression;

/**
 * Reads a soak run (EchoLoadBenchmark with one-minute measurement iterations and the metrics
 * profiler) and shows, per server, the minute-by-minute percentiles, heap after GC and RSS, then the
 * drift: the least-squares slope of p99 and of the heap over the minutes, and last minute over first.
 * A leak or a slow degradation shows as a steady positive slope rather than as noise around zero.
 *
 * <p>{@code java -cp target/benchmarks.jar io.wsbench.report.SoakReport results/soak/STAMP/soak.json}
 */
public final class SoakReport {
    private static final String[] COLUMNS = {MetricNames.RATE_ACHIEVED, MetricNames.LATENCY_P50, MetricNames.LATENCY_P99,
            MetricNames.LATENCY_P999, MetricNames.LATENCY_MAX, MetricNames.HEAP_AFTER_GC, MetricNames.RSS};

    private SoakReport() {
    }

    /** One server's soak: a row per measured minute (all forks, in order) and the drift over them. */
    public record ServerSoak(String label, List<double[]> minutes, Drift p99, Drift heap) {
    }

    /** Slope per minute of a series, and its last value over its first. */
    public record Drift(double slopePerMinute, double lastOverFirst) {
        static Drift of(List<Double> series) {
            SimpleRegression fit = new SimpleRegression();
            for (int i = 0; i < series.size(); i++) {
                fit.addData(i + 1, series.get(i));
            }
            double first = series.get(0);
            double last = series.get(series.size() - 1);
            return new Drift(series.size() < 2 ? 0 : fit.getSlope(), first == 0 ? Double.NaN : last / first);
        }
    }

    public static List<ServerSoak> analyse(JmhResultFile file) {
        List<ServerSoak> soaks = new ArrayList<>();
        for (Result result : file.results()) {
            if (!result.benchmark().endsWith("EchoLoadBenchmark.echo")) {
                continue;
            }
            Metric p99 = result.secondaryMetrics().get(MetricNames.LATENCY_P99);
            if (p99 == null || p99.rawData().isEmpty()) {
                throw new JmhResultFileException(file.source() + " has no per-iteration latency.p99 for " + result.paramsText()
                        + ": run the soak with -prof io.wsbench.jmh.EchoMetricsProfiler (scripts/soak does)");
            }
            List<double[]> minutes = new ArrayList<>();
            int forks = p99.rawData().size();
            for (int fork = 0; fork < forks; fork++) {
                int iterations = p99.rawData().get(fork).size();
                for (int i = 0; i < iterations; i++) {
                    double[] row = new double[COLUMNS.length];
                    for (int c = 0; c < COLUMNS.length; c++) {
                        row[c] = value(result, COLUMNS[c], fork, i);
                    }
                    minutes.add(row);
                }
            }
            soaks.add(new ServerSoak(result.params().getOrDefault("server", "?") + " (" + result.params().get("connections")
                    + " connections, " + result.params().get("rate") + " msg/s)",
                    minutes, Drift.of(column(minutes, 2)), Drift.of(column(minutes, 5))));
        }
        if (soaks.isEmpty()) {
            throw new JmhResultFileException(file.source() + " holds no EchoLoadBenchmark.echo result: is it a soak run?");
        }
        return soaks;
    }

    private static double value(Result result, String metric, int fork, int iteration) {
        Metric m = metric.equals(MetricNames.RATE_ACHIEVED) && !result.secondaryMetrics().containsKey(metric)
                ? result.primaryMetric() : result.secondaryMetrics().get(metric);
        if (m == null || m.rawData().size() <= fork || m.rawData().get(fork).size() <= iteration) {
            return Double.NaN;
        }
        return m.rawData().get(fork).get(iteration);
    }

    private static List<Double> column(List<double[]> rows, int index) {
        return rows.stream().map(r -> r[index]).toList();
    }

    public static String markdown(List<ServerSoak> soaks) {
        StringBuilder md = new StringBuilder();
        for (ServerSoak soak : soaks) {
            md.append("### ").append(soak.label()).append("\n\n");
            md.append("| minute | msg/s | p50 µs | p99 µs | p99.9 µs | max µs | heap after GC MiB | RSS MiB |\n");
            md.append("|---:|---:|---:|---:|---:|---:|---:|---:|\n");
            for (int i = 0; i < soak.minutes().size(); i++) {
                double[] r = soak.minutes().get(i);
                md.append(String.format(Locale.ROOT, "| %d | %.0f | %.0f | %.0f | %.0f | %.0f | %.1f | %.0f |%n",
                        i + 1, r[0], r[1], r[2], r[3], r[4], r[5], r[6]));
            }
            md.append(String.format(Locale.ROOT, "%nDrift: p99 %+.1f µs/minute (last/first %.2f); heap after GC %+.2f MiB/minute"
                    + " (last/first %.2f).%n%n", soak.p99().slopePerMinute(), soak.p99().lastOverFirst(),
                    soak.heap().slopePerMinute(), soak.heap().lastOverFirst()));
        }
        return md.toString();
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length != 1 || args[0].equals("-h")) {
            err.println("usage: SoakReport SOAK.json   (a JMH JSON of EchoLoadBenchmark with the metrics profiler)");
            return 2;
        }
        try {
            out.print(markdown(analyse(JmhResultFile.read(Path.of(args[0])))));
            return 0;
        } catch (JmhResultFileException e) {
            err.println("SoakReport: " + e.getMessage());
            return 2;
        }
    }
}
