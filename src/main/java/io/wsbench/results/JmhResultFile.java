package io.wsbench.results;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A JMH result file as written by {@code -rf json}: one {@link Result} per benchmark, mode and
 * parameter combination.
 *
 * <p>Reads the fields a report or a comparison needs, including the raw per-fork, per-iteration
 * scores (and for SampleTime the per-iteration histograms) that JMH's own summary throws away.
 * JMH writes NaN and infinities as the strings {@code "NaN"}, {@code "+INF"} and {@code "-INF"};
 * they are read back as doubles. Secondary metric names are stored without the {@code ·} prefix
 * some JMH versions put in front of profiler results, so {@code gc.alloc.rate.norm} finds it either way.
 */
public record JmhResultFile(Path source, List<Result> results) {

    public JmhResultFile {
        results = List.copyOf(results);
    }

    /** One benchmark method at one mode and one parameter combination. */
    public record Result(
            String benchmark,
            String mode,
            Map<String, String> params,
            int forks,
            int threads,
            String jvm,
            List<String> jvmArgs,
            String jdkVersion,
            String vmName,
            String vmVersion,
            String jmhVersion,
            int warmupIterations,
            String warmupTime,
            int measurementIterations,
            String measurementTime,
            Metric primaryMetric,
            Map<String, Metric> secondaryMetrics) {

        public Result {
            params = Collections.unmodifiableMap(new TreeMap<>(params));
            jvmArgs = List.copyOf(jvmArgs);
            secondaryMetrics = Collections.unmodifiableMap(new LinkedHashMap<>(secondaryMetrics));
        }

        /** {@code EchoRoundTripBenchmark.roundTrip} for {@code io.wsbench.roundtrip.EchoRoundTripBenchmark.roundTrip}. */
        public String shortName() {
            int method = benchmark.lastIndexOf('.');
            int type = method > 0 ? benchmark.lastIndexOf('.', method - 1) : -1;
            return benchmark.substring(type + 1);
        }

        /** {@code payloadBytes=64, type=binary}, or empty without parameters. */
        public String paramsText() {
            StringBuilder text = new StringBuilder();
            params.forEach((name, value) -> {
                if (text.length() > 0) {
                    text.append(", ");
                }
                text.append(name).append('=').append(value);
            });
            return text.toString();
        }

        /**
         * Measurement iterations in the file, over all forks. Without {@code -foe true}, JMH keeps a trial whose
         * fork failed part-way, with only the iterations that fork finished (and none of a fork that failed in its
         * first one), so this can be less than {@link #plannedIterations()}.
         */
        public int recordedIterations() {
            List<? extends List<?>> forksData = primaryMetric.rawData().isEmpty()
                    ? primaryMetric.rawDataHistogram() : primaryMetric.rawData();
            return forksData.stream().mapToInt(List::size).sum();
        }

        /** Forks times measurement iterations, as the run was set up; a run without forks counts as one fork. */
        public int plannedIterations() {
            return Math.max(1, forks) * measurementIterations;
        }

        /** False for a trial that failed part-way: its score stands on fewer iterations than planned. */
        public boolean complete() {
            return recordedIterations() == plannedIterations();
        }

        /** Throughput ({@code thrpt}, ops/time) is better when higher; avgt, sample and ss (time/op) when lower. */
        public boolean higherIsBetter() {
            return isThroughputMode(mode);
        }
    }

    /** A score with its spread, as JMH reports it for the primary metric and each secondary one. */
    public record Metric(
            double score,
            double scoreError,
            String scoreUnit,
            Map<Double, Double> percentiles,
            List<List<Double>> rawData,
            List<List<List<HistogramBin>>> rawDataHistogram) {

        public Metric {
            percentiles = Collections.unmodifiableMap(new TreeMap<>(percentiles));
            rawData = rawData.stream().map(List::copyOf).toList();
            rawDataHistogram = rawDataHistogram.stream()
                    .map(fork -> fork.stream().map(List::copyOf).toList())
                    .toList();
        }

        /**
         * One value per measurement iteration of every fork, in the metric's unit: the iteration
         * scores from {@code rawData}, or for SampleTime (which only has histograms) each
         * iteration's mean sample. These are the samples the regression gate tests.
         */
        public double[] iterationScores() {
            return java.util.Arrays.stream(forkIterationScores()).flatMapToDouble(java.util.Arrays::stream).toArray();
        }

        /**
         * The mean of each fork's measurement iterations ({@link #forkIterationScores()}), one value per fork that
         * recorded any: the unit the regression gate tests, since iterations of one fork share its JIT outcome.
         */
        public double[] forkMeans() {
            return java.util.Arrays.stream(forkIterationScores())
                    .filter(fork -> fork.length > 0)
                    .mapToDouble(fork -> java.util.Arrays.stream(fork).average().orElseThrow())
                    .toArray();
        }

        /** {@link #iterationScores()} kept apart by fork: [fork][iteration]. */
        public double[][] forkIterationScores() {
            if (!rawData.isEmpty()) {
                return rawData.stream()
                        .map(fork -> fork.stream().mapToDouble(Double::doubleValue).toArray())
                        .toArray(double[][]::new);
            }
            return rawDataHistogram.stream()
                    .map(fork -> fork.stream()
                            .filter(bins -> !bins.isEmpty())
                            .mapToDouble(JmhResultFile::histogramMean)
                            .toArray())
                    .toArray(double[][]::new);
        }
    }

    /** {@code count} samples of {@code value}, one bucket of a SampleTime iteration's histogram. */
    public record HistogramBin(double value, long count) {
    }

    /** True for JMH's throughput mode label, where a higher score is better. */
    public static boolean isThroughputMode(String mode) {
        return "thrpt".equals(mode);
    }

    /**
     * Reads a JMH JSON result file, or one gzipped ({@code NAME.json.gz}: how large sample-mode runs are committed).
     *
     * @throws JmhResultFileException if the file is missing, unreadable or not JMH's JSON, naming the file and the fix
     */
    public static JmhResultFile read(Path file) {
        String text;
        try {
            if (file.getFileName().toString().endsWith(".gz")) {
                try (java.io.InputStream in = new java.util.zip.GZIPInputStream(Files.newInputStream(file))) {
                    text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
            } else {
                text = Files.readString(file, StandardCharsets.UTF_8);
            }
        } catch (NoSuchFileException e) {
            throw new JmhResultFileException(file + ": no such file; pass the JSON a JMH run wrote with -rf json -rff FILE");
        } catch (IOException e) {
            throw new JmhResultFileException(file + ": cannot read (" + e + "); check the path and its permissions", e);
        }
        return parse(file, text);
    }

    /** Parses JMH's JSON; {@code source} only names the file in messages. */
    public static JmhResultFile parse(Path source, String json) {
        JsonElement root;
        try {
            root = JsonParser.parseString(json);
        } catch (JsonParseException e) {
            throw new JmhResultFileException(source + ": not valid JSON (" + e.getMessage()
                    + "); pass the file JMH wrote with -rf json", e);
        }
        if (!root.isJsonArray()) {
            throw new JmhResultFileException(source + ": not a JMH result file (expected a JSON array of results, found "
                    + kind(root) + "); pass the file JMH wrote with -rf json");
        }
        List<Result> results = new ArrayList<>();
        JsonArray array = root.getAsJsonArray();
        for (int i = 0; i < array.size(); i++) {
            String where = source + ": result #" + (i + 1);
            try {
                results.add(result(array.get(i)));
            } catch (IllegalStateException | UnsupportedOperationException | NumberFormatException
                     | ClassCastException | IndexOutOfBoundsException e) {
                throw new JmhResultFileException(where + " is not a JMH result (" + e.getMessage()
                        + "); pass the file JMH wrote with -rf json", e);
            }
        }
        return new JmhResultFile(source, results);
    }

    private static Result result(JsonElement element) {
        JsonObject o = element.getAsJsonObject();
        Map<String, String> params = new TreeMap<>();
        if (o.has("params")) {
            o.getAsJsonObject("params").entrySet().forEach(e -> params.put(e.getKey(), e.getValue().getAsString()));
        }
        Map<String, Metric> secondary = new LinkedHashMap<>();
        if (o.has("secondaryMetrics")) {
            o.getAsJsonObject("secondaryMetrics").entrySet()
                    .forEach(e -> secondary.put(stripProfilerPrefix(e.getKey()), metric(e.getValue().getAsJsonObject())));
        }
        List<String> jvmArgs = new ArrayList<>();
        if (o.has("jvmArgs")) {
            o.getAsJsonArray("jvmArgs").forEach(arg -> jvmArgs.add(arg.getAsString()));
        }
        return new Result(
                required(o, "benchmark").getAsString(),
                required(o, "mode").getAsString(),
                params,
                intOr(o, "forks", 0),
                intOr(o, "threads", 1),
                stringOr(o, "jvm"),
                jvmArgs,
                stringOr(o, "jdkVersion"),
                stringOr(o, "vmName"),
                stringOr(o, "vmVersion"),
                stringOr(o, "jmhVersion"),
                intOr(o, "warmupIterations", 0),
                stringOr(o, "warmupTime"),
                intOr(o, "measurementIterations", 0),
                stringOr(o, "measurementTime"),
                metric(required(o, "primaryMetric").getAsJsonObject()),
                secondary);
    }

    private static Metric metric(JsonObject o) {
        Map<Double, Double> percentiles = new TreeMap<>();
        if (o.has("scorePercentiles")) {
            o.getAsJsonObject("scorePercentiles").entrySet()
                    .forEach(e -> percentiles.put(Double.parseDouble(e.getKey()), number(e.getValue())));
        }
        List<List<Double>> rawData = new ArrayList<>();
        if (o.has("rawData")) {
            for (JsonElement fork : o.getAsJsonArray("rawData")) {
                List<Double> iterations = new ArrayList<>();
                fork.getAsJsonArray().forEach(v -> iterations.add(number(v)));
                rawData.add(iterations);
            }
        }
        List<List<List<HistogramBin>>> histogram = new ArrayList<>();
        if (o.has("rawDataHistogram")) {
            for (JsonElement fork : o.getAsJsonArray("rawDataHistogram")) {
                List<List<HistogramBin>> iterations = new ArrayList<>();
                for (JsonElement iteration : fork.getAsJsonArray()) {
                    List<HistogramBin> bins = new ArrayList<>();
                    for (JsonElement bin : iteration.getAsJsonArray()) {
                        JsonArray pair = bin.getAsJsonArray();
                        bins.add(new HistogramBin(number(pair.get(0)), pair.get(1).getAsLong()));
                    }
                    iterations.add(bins);
                }
                histogram.add(iterations);
            }
        }
        return new Metric(
                number(required(o, "score")),
                o.has("scoreError") ? number(o.get("scoreError")) : Double.NaN,
                required(o, "scoreUnit").getAsString(),
                percentiles,
                rawData,
                histogram);
    }

    private static double histogramMean(List<HistogramBin> bins) {
        double sum = 0;
        long count = 0;
        for (HistogramBin bin : bins) {
            sum += bin.value() * bin.count();
            count += bin.count();
        }
        return sum / count;
    }

    /** A number of JMH's JSON; JMH writes non-finite doubles as strings ("NaN", "+INF"). */
    public static double number(JsonElement value) {
        JsonPrimitive p = value.getAsJsonPrimitive();
        if (p.isString()) {
            return switch (p.getAsString()) {
                case "NaN" -> Double.NaN;
                case "+INF", "Infinity" -> Double.POSITIVE_INFINITY;
                case "-INF", "-Infinity" -> Double.NEGATIVE_INFINITY;
                default -> Double.parseDouble(p.getAsString());
            };
        }
        return p.getAsDouble();
    }

    private static JsonElement required(JsonObject o, String name) {
        JsonElement value = o.get(name);
        if (value == null || value.isJsonNull()) {
            throw new IllegalStateException("field \"" + name + "\" is missing");
        }
        return value;
    }

    private static int intOr(JsonObject o, String name, int fallback) {
        return o.has(name) ? o.get(name).getAsInt() : fallback;
    }

    private static String stringOr(JsonObject o, String name) {
        return o.has(name) && !o.get(name).isJsonNull() ? o.get(name).getAsString() : "";
    }

    private static String stripProfilerPrefix(String name) {
        return name.startsWith("\u00b7") ? name.substring(1) : name;
    }

    private static String kind(JsonElement e) {
        if (e.isJsonObject()) {
            return "an object";
        }
        if (e.isJsonPrimitive()) {
            return "a single value";
        }
        return e.isJsonNull() ? "null" : "something else";
    }
}
