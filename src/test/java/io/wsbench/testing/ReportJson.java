package io.wsbench.testing;

import io.wsbench.report.Units;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Builds JMH result files as JMH 1.37 writes them with {@code -rf json}, with the exact scores a test
 * wants: round-trip throughput and SampleTime latency results, and load results with the secondary
 * metrics of {@code EchoMetricsProfiler} and {@code -prof gc}.
 */
public final class ReportJson {

    public static final String ROUND_TRIP = "io.wsbench.roundtrip.EchoRoundTripBenchmark";
    public static final String LOAD = "io.wsbench.load.EchoLoadBenchmark.echo";

    /** Units the profiler gives its metrics; the report reads them from the JSON, never from here. */
    private static final Map<String, String> SECONDARY_UNITS = Map.ofEntries(
            Map.entry("latency.p50", "us"), Map.entry("latency.p90", "us"), Map.entry("latency.p99", "us"),
            Map.entry("latency.p999", "us"), Map.entry("latency.p9999", "us"), Map.entry("latency.max", "us"),
            Map.entry("latency.count", "#"), Map.entry("rate.achieved", "msg/s"), Map.entry("rate.target", "msg/s"),
            Map.entry("rateShortfallPercent", "%"), Map.entry("valid", "bool"),
            Map.entry("cpu.server.percentOfCore", "%"), Map.entry("cpu.client.percentOfCore", "%"),
            Map.entry("cpu.gc.percentOfCore", "%"), Map.entry("cpu.jit.percentOfCore", "%"),
            Map.entry("cpu.jvmOther.percentOfCore", "%"),
            Map.entry("cpu.server.usPerMsg", "us/msg"), Map.entry("cpu.client.usPerMsg", "us/msg"),
            Map.entry("cpu.gc.usPerMsg", "us/msg"), Map.entry("cpu.jit.usPerMsg", "us/msg"),
            Map.entry("cpu.jvmOther.usPerMsg", "us/msg"), Map.entry("sendLag.p99", "us"),
            Map.entry("client.busiestThreadPercent", "%"), Map.entry("client.saturated", "1=saturated"),
            Map.entry("heap.afterGc", "MiB"), Map.entry("rss", "MiB"), Map.entry("rss.server", "MiB"), Map.entry("gc.alloc.rate.norm", "B/op"));

    private final JsonArray results = new JsonArray();

    /** {@code EchoRoundTripBenchmark.throughput} at payloadBytes/type, serverThreads=1, transport=auto. */
    public ReportJson throughput(String server, String payloadBytes, String type, double perSecond, double error) {
        return throughput(roundTripParams(server, payloadBytes, type), perSecond, error, "ops/s");
    }

    public ReportJson throughput(Map<String, String> params, double score, double error, String unit) {
        JsonObject metric = metric(score, error, unit);
        JsonArray fork = new JsonArray();
        fork.add(score);
        JsonArray raw = new JsonArray();
        raw.add(fork);
        metric.add("rawData", raw);
        results.add(result(ROUND_TRIP + ".throughput", "thrpt", params, metric, new JsonObject()));
        return this;
    }

    /** {@code EchoRoundTripBenchmark.latency} with these percentiles (µs) over {@code samples} samples. */
    public ReportJson latency(String server, String payloadBytes, String type, long samples, double p50, double p99, double p999) {
        return latency(roundTripParams(server, payloadBytes, type), samples, p50, p99, p999, "us/op");
    }

    public ReportJson latency(Map<String, String> params, long samples, double p50, double p99, double p999, String unit) {
        JsonObject metric = metric(p50 * 1.2, p50 * 0.05, unit);
        JsonObject percentiles = new JsonObject();
        double[][] points = {{0.0, p50 * 0.7}, {50.0, p50}, {90.0, p50 * 1.5}, {95.0, p50 * 2}, {99.0, p99},
                {99.9, p999}, {99.99, p999 * 2}, {99.999, p999 * 2}, {99.9999, p999 * 2}, {100.0, p999 * 2}};
        for (double[] point : points) {
            percentiles.addProperty(String.valueOf(point[0]), point[1]);
        }
        metric.add("scorePercentiles", percentiles);
        // one fork, one iteration: most samples at the median, the rest in the tail
        JsonArray bins = new JsonArray();
        bins.add(bin(p50, samples - samples / 10));
        bins.add(bin(p99, samples / 10 - 1));
        bins.add(bin(p999 * 2, 1));
        JsonArray iterations = new JsonArray();
        iterations.add(bins);
        JsonArray forks = new JsonArray();
        forks.add(iterations);
        metric.add("rawDataHistogram", forks);
        results.add(result(ROUND_TRIP + ".latency", "sample", params, metric, new JsonObject()));
        return this;
    }

    /** An {@code EchoLoadBenchmark} result: msg/s ± error and the given secondary metrics (name to score). */
    public ReportJson load(Map<String, String> params, double perSecond, double error, Map<String, Double> secondary) {
        return load(LOAD, params, perSecond, error, secondary);
    }

    public ReportJson load(String benchmark, Map<String, String> params, double perSecond, double error, Map<String, Double> secondary) {
        JsonObject metric = metric(perSecond, error, "ops/s");
        JsonObject secondaries = new JsonObject();
        secondary.forEach((name, score) -> {
            String unit = SECONDARY_UNITS.get(name);
            if (unit == null) {
                throw new IllegalArgumentException("no unit for test metric " + name);
            }
            secondaries.add(name, metric(score, Double.NaN, unit));
        });
        results.add(result(benchmark, "thrpt", params, metric, secondaries));
        return this;
    }

    /** A result of a benchmark the report does not know. */
    public ReportJson other(String benchmark, double score) {
        results.add(result(benchmark, "avgt", Map.of(), metric(score, 1.0, "ns/op"), new JsonObject()));
        return this;
    }

    public String json() {
        return new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create().toJson(results)
                .replace("NaN", "\"NaN\"");
    }

    public Path write(Path file) throws IOException {
        Files.writeString(file, json());
        return file;
    }

    public static Map<String, String> roundTripParams(String server, String payloadBytes, String type) {
        return Map.of("server", server, "payloadBytes", payloadBytes, "type", type, "serverThreads", "1", "transport", "auto");
    }

    /** Load parameters for one server; rate and the others as the load benchmark's defaults would be. */
    public static Map<String, String> loadParams(String server, String loadModel, int connections, String rate) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("server", server);
        params.put("loadModel", loadModel);
        params.put("connections", String.valueOf(connections));
        params.put("payloadBytes", "64");
        params.put("type", "binary");
        params.put("rate", rate);
        params.put("inFlight", "1");
        params.put("serverThreads", "1");
        params.put("transport", "auto");
        params.put("target", "embedded");
        return params;
    }

    private static JsonObject result(String benchmark, String mode, Map<String, String> params, JsonObject primary,
                                     JsonObject secondary) {
        JsonObject r = new JsonObject();
        r.addProperty("jmhVersion", "1.37");
        r.addProperty("benchmark", benchmark);
        r.addProperty("mode", mode);
        r.addProperty("threads", 1);
        r.addProperty("forks", 1);
        r.addProperty("jvm", "/usr/lib/jvm/java-17-openjdk-amd64/bin/java");
        JsonArray jvmArgs = new JsonArray();
        jvmArgs.add("-Xms1g");
        jvmArgs.add("-Xmx1g");
        r.add("jvmArgs", jvmArgs);
        r.addProperty("jdkVersion", "17.0.15");
        r.addProperty("vmName", "OpenJDK 64-Bit Server VM");
        r.addProperty("vmVersion", "17.0.15+6-Debian-1deb12u1");
        r.addProperty("warmupIterations", 2);
        r.addProperty("warmupTime", "1 s");
        r.addProperty("warmupBatchSize", 1);
        r.addProperty("measurementIterations", 1); // the one fork's one iteration each metric holds
        r.addProperty("measurementTime", "1 s");
        r.addProperty("measurementBatchSize", 1);
        JsonObject p = new JsonObject();
        new TreeMap<>(params).forEach(p::addProperty);
        r.add("params", p);
        r.add("primaryMetric", primary);
        r.add("secondaryMetrics", secondary);
        return r;
    }

    private static JsonObject metric(double score, double error, String unit) {
        JsonObject m = new JsonObject();
        m.addProperty("score", score);
        m.addProperty("scoreError", error);
        JsonArray confidence = new JsonArray();
        confidence.add(Double.isNaN(error) ? score : score - error);
        confidence.add(Double.isNaN(error) ? score : score + error);
        m.add("scoreConfidence", confidence);
        m.addProperty("scoreUnit", unit);
        return m;
    }

    private static JsonArray bin(double value, long count) {
        JsonArray bin = new JsonArray();
        bin.add(value);
        bin.add(count);
        return bin;
    }
}
