package io.wsbench.gate;

import io.wsbench.results.JmhResultFile;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.wsbench.results.JmhResultFile.Metric;
import io.wsbench.results.JmhResultFile.Result;

import java.util.Locale;
import java.util.Map;

/**
 * Converts a JMH run into the JSON that two continuous-benchmarking services read.
 *
 * <ul>
 *   <li><b>github-action-benchmark</b> custom tools: an array of {@code {name, unit, value, range, extra}}.
 *       One file has one direction, so a run becomes two files: {@code customBiggerIsBetter} (throughput
 *       scores, ops/time) and {@code customSmallerIsBetter} (time per operation, SampleTime percentiles,
 *       {@code gc.alloc.rate.norm}). Its built-in {@code jmh} tool treats every score as smaller-is-better,
 *       which gets throughput backwards; these files avoid it.
 *   <li><b>Bencher Metric Format</b>: {@code {benchmark: {measure: {value, lower_value, upper_value}}}}, with
 *       Bencher's built-in measures in their units ({@code throughput} in ops/s, {@code latency} in ns) and
 *       custom measures for percentiles ({@code latency-p50} … in ns) and allocation ({@code alloc-bytes-per-op}).
 * </ul>
 *
 * Exported secondary metrics: {@code gc.alloc.rate.norm} (from {@code -prof gc}) and every secondary
 * metric that is not a {@code gc.*} one (such as {@code @AuxCounters}); other GC figures are
 * per-second rates that mostly repeat the primary score, and SampleTime's {@code p0.50}-style
 * secondary metrics repeat the primary metric's percentiles.
 */
public final class BenchmarkExport {

    static final String ALLOC_NORM = "gc.alloc.rate.norm";
    private static final double[] EXPORTED_PERCENTILES = {50.0, 90.0, 99.0, 99.9};

    private BenchmarkExport() {
    }

    /** The github-action-benchmark entries whose bigger value is better. */
    public static JsonArray githubBiggerIsBetter(JmhResultFile run) {
        return github(run, true);
    }

    /** The github-action-benchmark entries whose smaller value is better. */
    public static JsonArray githubSmallerIsBetter(JmhResultFile run) {
        return github(run, false);
    }

    private static JsonArray github(JmhResultFile run, boolean bigger) {
        JsonArray entries = new JsonArray();
        for (Result r : run.results()) {
            Metric primary = r.primaryMetric();
            if (r.higherIsBetter() == bigger) {
                entries.add(githubEntry(name(r), primary.scoreUnit(), primary.score(), primary.scoreError(), extra(r)));
            }
            if (!bigger && "sample".equals(r.mode())) {
                for (double p : EXPORTED_PERCENTILES) {
                    Double value = primary.percentiles().get(p);
                    if (value != null) {
                        entries.add(githubEntry(name(r) + " p" + RegressionGate.trim(p), primary.scoreUnit(), value,
                                Double.NaN, extra(r)));
                    }
                }
            }
            for (Map.Entry<String, Metric> m : exportedSecondary(r).entrySet()) {
                if (isThroughputUnit(m.getValue().scoreUnit()) == bigger) {
                    entries.add(githubEntry(name(r) + " " + m.getKey(), m.getValue().scoreUnit(),
                            m.getValue().score(), m.getValue().scoreError(), extra(r)));
                }
            }
        }
        return entries;
    }

    private static JsonObject githubEntry(String name, String unit, double value, double error, String extra) {
        JsonObject e = new JsonObject();
        e.addProperty("name", name);
        e.addProperty("unit", unit);
        e.addProperty("value", value);
        if (Double.isFinite(error)) {
            e.addProperty("range", "± " + error);
        }
        e.addProperty("extra", extra);
        return e;
    }

    /** Bencher Metric Format for the whole run. */
    public static JsonObject bencher(JmhResultFile run) {
        JsonObject benchmarks = new JsonObject();
        for (Result r : run.results()) {
            JsonObject measures = new JsonObject();
            Metric primary = r.primaryMetric();
            String unit = primary.scoreUnit();
            if (r.higherIsBetter()) {
                double toOpsPerSecond = 1.0 / secondsPer(unit.substring(unit.indexOf('/') + 1), unit);
                measures.add("throughput", bencherMetric(primary.score(), primary.scoreError(), toOpsPerSecond));
            } else {
                double toNanos = secondsPer(unit.substring(0, unit.indexOf('/')), unit) * 1e9;
                measures.add("latency", bencherMetric(primary.score(), primary.scoreError(), toNanos));
                if ("sample".equals(r.mode())) {
                    for (double p : EXPORTED_PERCENTILES) {
                        Double value = primary.percentiles().get(p);
                        if (value != null) {
                            measures.add("latency-p" + RegressionGate.trim(p).replace(".", ""),
                                    bencherMetric(value, Double.NaN, toNanos));
                        }
                    }
                }
            }
            for (Map.Entry<String, Metric> m : exportedSecondary(r).entrySet()) {
                String slug = ALLOC_NORM.equals(m.getKey()) ? "alloc-bytes-per-op" : slug(m.getKey());
                measures.add(slug, bencherMetric(m.getValue().score(), m.getValue().scoreError(), 1.0));
            }
            benchmarks.add(name(r), measures);
        }
        return benchmarks;
    }

    private static JsonObject bencherMetric(double score, double error, double scale) {
        JsonObject metric = new JsonObject();
        metric.addProperty("value", score * scale);
        if (Double.isFinite(error)) {
            // a wide error would put the lower bound of a time or a rate below zero, which no run can measure
            metric.addProperty("lower_value", Math.max(0, score - error) * scale);
            metric.addProperty("upper_value", (score + error) * scale);
        }
        return metric;
    }

    /** {@code NettyFrameCodecBenchmark.decode [avgt] {masked=true, payloadBytes=125}}: unique within a run. */
    static String name(Result r) {
        return r.shortName() + " [" + r.mode() + "]" + (r.params().isEmpty() ? "" : " {" + r.paramsText() + "}");
    }

    private static String extra(Result r) {
        return "mode=" + r.mode() + " forks=" + r.forks() + " threads=" + r.threads()
                + " measurement=" + r.measurementIterations() + "x" + r.measurementTime()
                + " jdk=" + r.jdkVersion() + " vm=" + r.vmName();
    }

    private static Map<String, Metric> exportedSecondary(Result r) {
        Map<String, Metric> exported = new java.util.LinkedHashMap<>();
        boolean sample = "sample".equals(r.mode());
        r.secondaryMetrics().forEach((name, metric) -> {
            // SampleTime repeats its percentiles as secondary metrics p0.50, p0.99...; they are exported from the primary
            boolean percentileCopy = sample && name.matches("p[0-9.]+");
            if ((name.equals(ALLOC_NORM) || !name.startsWith("gc.")) && !percentileCopy && Double.isFinite(metric.score())) {
                exported.put(name, metric);
            }
        });
        return exported;
    }

    private static boolean isThroughputUnit(String unit) {
        return unit.startsWith("ops/");
    }

    /** Seconds in one JMH time-unit label (ns, us, ms, s, min, hr, day). */
    private static double secondsPer(String label, String unit) {
        return switch (label) {
            case "ns" -> 1e-9;
            case "us" -> 1e-6;
            case "ms" -> 1e-3;
            case "s" -> 1.0;
            case "min" -> 60.0;
            case "hr" -> 3600.0;
            case "day" -> 86400.0;
            default -> throw new GateInputException("unknown time unit '" + label + "' in score unit '" + unit
                    + "'; expected JMH's ops/TIME or TIME/op with TIME one of ns, us, ms, s, min, hr, day");
        };
    }

    private static String slug(String name) {
        String slug = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "");
        return slug.length() > 64 ? slug.substring(0, 64) : slug;
    }
}
