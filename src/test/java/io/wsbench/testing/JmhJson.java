package io.wsbench.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;

/**
 * Writes JMH result files the way {@code -rf json} does, for tests: same fields, rawData as
 * [fork][iteration], SampleTime as rawDataHistogram [fork][iteration][[value, count]], NaN as a
 * string. Scores are drawn from a seeded normal distribution so every test sees the same numbers.
 */
public final class JmhJson {

    public static final int FORKS = 3;
    public static final int ITERATIONS = 5;

    private final List<String> results = new ArrayList<>();

    /** A throughput or average-time result whose iterations scatter around {@code mean} by {@code relativeSpread}. */
    public JmhJson add(String benchmark, String mode, Map<String, String> params, String unit,
                double mean, double relativeSpread, long seed) {
        double[][] raw = samples(mean, relativeSpread, FORKS, ITERATIONS, seed);
        results.add(result(benchmark, mode, params, unit, raw, rawDataJson(raw), "rawData", ""));
        return this;
    }

    /** Like {@link #add} with explicit raw data [fork][iteration]. */
    public JmhJson addRaw(String benchmark, String mode, Map<String, String> params, String unit, double[][] raw) {
        results.add(result(benchmark, mode, params, unit, raw, rawDataJson(raw), "rawData", ""));
        return this;
    }

    /** Adds a result with a {@code gc.alloc.rate.norm} secondary metric as {@code -prof gc} reports it. */
    public JmhJson addWithAlloc(String benchmark, String mode, Map<String, String> params, String unit,
                         double mean, double bytesPerOp, long seed) {
        double[][] raw = samples(mean, 0.01, FORKS, ITERATIONS, seed);
        double[][] alloc = samples(bytesPerOp, 0.0, FORKS, ITERATIONS, seed);
        String secondary = "\"gc.alloc.rate.norm\" : " + metric(alloc, "B/op", rawDataJson(alloc), "rawData")
                + ", \"gc.count\" : " + metric(new double[][] {{3, 4, 3, 3, 4}}, "counts", rawDataJson(new double[][] {{3, 4, 3, 3, 4}}), "rawData");
        results.add(result(benchmark, mode, params, unit, raw, rawDataJson(raw), "rawData", secondary));
        return this;
    }

    /** A SampleTime result: each iteration a histogram of ~1000 samples around {@code mean}. */
    public JmhJson addSample(String benchmark, Map<String, String> params, String unit, double mean, double relativeSpread, long seed) {
        double[][] iterationMeans = samples(mean, relativeSpread, FORKS, ITERATIONS, seed);
        StringBuilder histogram = new StringBuilder("[");
        for (int f = 0; f < FORKS; f++) {
            histogram.append(f == 0 ? "" : ",").append('[');
            for (int i = 0; i < ITERATIONS; i++) {
                double m = iterationMeans[f][i];
                // three buckets whose weighted mean is m: 400 at 0.9m, 500 at m, 100 at 1.5m
                double low = 0.9 * m;
                double high = 1.5 * m;
                double middle = (1000 * m - 400 * low - 100 * high) / 500;
                histogram.append(i == 0 ? "" : ",").append(String.format(Locale.ROOT,
                        "[[%s,400],[%s,500],[%s,100]]", low, middle, high));
            }
            histogram.append(']');
        }
        histogram.append(']');
        // JMH repeats SampleTime percentiles as secondary metrics named p0.00, p0.50, ...
        String percentileCopies = "\"p0.50\" : " + metric(new double[][] {{mean}}, unit, "[ [ " + mean + " ] ]", "rawData")
                + ", \"p0.99\" : " + metric(new double[][] {{1.5 * mean}}, unit, "[ [ " + 1.5 * mean + " ] ]", "rawData");
        results.add(result(benchmark, "sample", params, unit, iterationMeans, histogram.toString(), "rawDataHistogram",
                percentileCopies));
        return this;
    }

    /** A result with explicit raw data and secondary metrics, each given as [fork][iteration] with its unit. */
    public JmhJson addWithSecondaries(String benchmark, String mode, Map<String, String> params, String unit, double[][] raw,
                               Map<String, Map.Entry<String, double[][]>> secondaries) {
        String secondary = secondaries.entrySet().stream()
                .map(e -> "\"" + e.getKey() + "\" : " + metric(e.getValue().getValue(), e.getValue().getKey(),
                        rawDataJson(e.getValue().getValue()), "rawData"))
                .collect(Collectors.joining(", "));
        results.add(result(benchmark, mode, params, unit, raw, rawDataJson(raw), "rawData", secondary));
        return this;
    }

    public String json() {
        return "[\n" + String.join(",\n", results) + "\n]\n";
    }

    public Path write(Path file) throws IOException {
        Files.writeString(file, json());
        return file;
    }

    public static double[][] samples(double mean, double relativeSpread, int forks, int iterations, long seed) {
        Random random = new Random(seed);
        double[][] raw = new double[forks][iterations];
        for (double[] fork : raw) {
            for (int i = 0; i < iterations; i++) {
                fork[i] = mean * (1 + relativeSpread * random.nextGaussian());
            }
        }
        return raw;
    }

    private static String result(String benchmark, String mode, Map<String, String> params, String unit,
                                 double[][] raw, String rawJson, String rawField, String secondary) {
        String paramsJson = params.entrySet().stream()
                .map(e -> "\"" + e.getKey() + "\" : \"" + e.getValue() + "\"")
                .collect(Collectors.joining(", "));
        return """
                {
                    "jmhVersion" : "1.37",
                    "benchmark" : "%s",
                    "mode" : "%s",
                    "threads" : 1,
                    "forks" : %d,
                    "jvm" : "/usr/lib/jvm/java-17-openjdk-amd64/bin/java",
                    "jvmArgs" : [ "-Xms1g", "-Xmx1g" ],
                    "jdkVersion" : "17.0.15",
                    "vmName" : "OpenJDK 64-Bit Server VM",
                    "vmVersion" : "17.0.15+6-Debian-1deb12u1",
                    "warmupIterations" : 3,
                    "warmupTime" : "1 s",
                    "warmupBatchSize" : 1,
                    "measurementIterations" : %d,
                    "measurementTime" : "1 s",
                    "measurementBatchSize" : 1,
                    %s
                    "primaryMetric" : %s,
                    "secondaryMetrics" : { %s }
                }""".formatted(benchmark, mode, raw.length, raw.length == 0 ? 0 : raw[0].length,
                params.isEmpty() ? "" : "\"params\" : { " + paramsJson + " },",
                metric(raw, unit, rawJson, rawField), secondary);
    }

    private static String metric(double[][] raw, String unit, String rawJson, String rawField) {
        double[] all = Arrays.stream(raw).flatMapToDouble(Arrays::stream).toArray();
        double mean = Arrays.stream(all).average().orElse(Double.NaN);
        double sd = Math.sqrt(Arrays.stream(all).map(v -> (v - mean) * (v - mean)).sum() / Math.max(1, all.length - 1));
        String error = all.length < 2 ? "\"NaN\"" : String.valueOf(2.6 * sd / Math.sqrt(all.length));
        double[] sorted = all.clone();
        Arrays.sort(sorted);
        String percentiles = all.length == 0 ? "" : String.format(Locale.ROOT,
                "\"0.0\" : %s, \"50.0\" : %s, \"90.0\" : %s, \"99.0\" : %s, \"99.9\" : %s, \"100.0\" : %s",
                sorted[0], sorted[sorted.length / 2], sorted[(int) (sorted.length * 0.9)],
                sorted[sorted.length - 1], sorted[sorted.length - 1], sorted[sorted.length - 1]);
        return """
                {
                        "score" : %s,
                        "scoreError" : %s,
                        "scoreConfidence" : [ %s, %s ],
                        "scorePercentiles" : { %s },
                        "scoreUnit" : "%s",
                        "%s" : %s
                    }""".formatted(mean, error, mean - sd, mean + sd, percentiles, unit, rawField, rawJson);
    }

    private static String rawDataJson(double[][] raw) {
        return Arrays.stream(raw)
                .map(fork -> Arrays.stream(fork).mapToObj(String::valueOf).collect(Collectors.joining(", ", "[ ", " ]")))
                .collect(Collectors.joining(", ", "[ ", " ]"));
    }
}
