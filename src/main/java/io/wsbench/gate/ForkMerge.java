package io.wsbench.gate;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import io.wsbench.results.JmhResultFile;
import org.apache.commons.math3.distribution.TDistribution;
import org.apache.commons.math3.stat.descriptive.rank.Percentile;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Pools JMH results of the same benchmark, mode and params, run one fork at a time (as {@code scripts/gate ab} does to
 * interleave two builds), into one result holding every fork, as if JMH had run them with {@code -f N}.
 *
 * <p>{@code rawData} (or SampleTime's {@code rawDataHistogram}) of the primary metric and of each secondary metric
 * is concatenated fork by fork, {@code forks} is summed, and the summary fields are recomputed from the pooled data
 * the way JMH computes them: the score is the mean of all iterations (the sum, for metrics JMH sums, such as
 * {@code gc.count}: recognised by a part whose score is the sum of its iterations), the error the half-width of the
 * 99.9 % Student-t interval, and the percentiles those of the iteration scores (of the pooled samples, for SampleTime).
 * Every other field is the first part's. Parts whose mode, score unit or iteration settings differ are not forks of one
 * run and are refused.
 */
final class ForkMerge {

    private static final double[] PERCENTILES = {0.0, 50.0, 90.0, 95.0, 99.0, 99.9, 99.99, 99.999, 99.9999, 100.0};

    private ForkMerge() {
    }

    /** The results in first-seen order, each key's parts pooled into one. */
    static JsonArray pool(List<JsonElement> results) {
        Map<String, List<JsonObject>> byKey = new LinkedHashMap<>();
        for (JsonElement e : results) {
            JsonObject o = e.getAsJsonObject();
            byKey.computeIfAbsent(key(o), k -> new ArrayList<>()).add(o);
        }
        JsonArray pooled = new JsonArray();
        byKey.values().forEach(parts -> pooled.add(parts.size() == 1 ? parts.get(0) : poolParts(parts)));
        return pooled;
    }

    private static String key(JsonObject o) {
        JsonObject params = o.has("params") ? o.getAsJsonObject("params") : new JsonObject();
        Map<String, String> sorted = new java.util.TreeMap<>();
        params.entrySet().forEach(p -> sorted.put(p.getKey(), p.getValue().getAsString()));
        return o.get("benchmark").getAsString() + "|" + o.get("mode").getAsString() + "|" + sorted;
    }

    private static JsonObject poolParts(List<JsonObject> parts) {
        JsonObject first = parts.get(0);
        for (JsonObject part : parts) {
            for (String field : List.of("mode", "measurementIterations", "measurementTime", "warmupIterations", "warmupTime", "threads")) {
                if (!String.valueOf(part.get(field)).equals(String.valueOf(first.get(field)))) {
                    throw new GateInputException(first.get("benchmark").getAsString() + ": the parts to pool differ in "
                            + field + " (" + first.get(field) + " vs " + part.get(field) + "); pool only forks of one"
                            + " preset, run with the same JMH options");
                }
            }
        }
        JsonObject pooled = first.deepCopy();
        int forks = 0;
        for (JsonObject part : parts) {
            forks += part.has("forks") ? Math.max(1, part.get("forks").getAsInt()) : 1;
        }
        pooled.addProperty("forks", forks);
        pooled.add("primaryMetric", poolMetric(first.get("benchmark").getAsString(),
                parts.stream().map(p -> p.getAsJsonObject("primaryMetric")).toList()));
        Set<String> names = new LinkedHashSet<>();
        parts.forEach(p -> {
            if (p.has("secondaryMetrics")) {
                names.addAll(p.getAsJsonObject("secondaryMetrics").keySet());
            }
        });
        JsonObject secondary = new JsonObject();
        for (String name : names) {
            List<JsonObject> metrics = parts.stream()
                    .filter(p -> p.has("secondaryMetrics") && p.getAsJsonObject("secondaryMetrics").has(name))
                    .map(p -> p.getAsJsonObject("secondaryMetrics").getAsJsonObject(name))
                    .toList();
            secondary.add(name, poolMetric(first.get("benchmark").getAsString() + " " + name, metrics));
        }
        pooled.add("secondaryMetrics", secondary);
        return pooled;
    }

    static JsonObject poolMetric(String what, List<JsonObject> metrics) {
        JsonObject first = metrics.get(0);
        String unit = first.get("scoreUnit").getAsString();
        for (JsonObject m : metrics) {
            if (!m.get("scoreUnit").getAsString().equals(unit)) {
                throw new GateInputException(what + ": the parts to pool are in " + unit + " and "
                        + m.get("scoreUnit").getAsString() + "; run every fork with the same -tu");
            }
        }
        JsonObject pooled = first.deepCopy();
        boolean histogram = first.has("rawDataHistogram") && !first.has("rawData");
        String field = histogram ? "rawDataHistogram" : "rawData";
        JsonArray forks = new JsonArray();
        for (JsonObject m : metrics) {
            if (m.has(field)) {
                m.getAsJsonArray(field).forEach(forks::add);
            }
        }
        pooled.add(field, forks);
        double[] values;
        double score;
        if (histogram) {
            values = histogramMeans(forks);
            double[] weighted = weightedSamples(forks);
            score = weighted[0] / weighted[1];
            putPercentiles(pooled, histogramPercentiles(forks));
        } else {
            values = flatten(forks);
            score = sumsItsIterations(first) ? Arrays.stream(values).sum() : Arrays.stream(values).average().orElse(Double.NaN);
            putPercentiles(pooled, percentiles(values));
        }
        double error = error(values);
        pooled.add("score", number(score));
        pooled.add("scoreError", number(error));
        JsonArray confidence = new JsonArray();
        confidence.add(number(Double.isNaN(error) ? Double.NaN : score - error));
        confidence.add(number(Double.isNaN(error) ? Double.NaN : score + error));
        pooled.add("scoreConfidence", confidence);
        return pooled;
    }

    /** True for a metric JMH aggregates by sum (gc.count, gc.time): its score is the sum of its iterations, not their mean. */
    private static boolean sumsItsIterations(JsonObject metric) {
        if (!metric.has("rawData")) {
            return false;
        }
        double[] values = flatten(metric.getAsJsonArray("rawData"));
        if (values.length < 2) {
            return false;
        }
        double score = JmhResultFile.number(metric.get("score"));
        double sum = Arrays.stream(values).sum();
        double mean = sum / values.length;
        return Math.abs(score - sum) < Math.abs(score - mean);
    }

    /** JMH's score error: half-width of the 99.9 % Student-t confidence interval of the mean. */
    private static double error(double[] values) {
        int n = values.length;
        if (n < 2) {
            return Double.NaN;
        }
        double mean = Arrays.stream(values).average().orElseThrow();
        double variance = Arrays.stream(values).map(v -> (v - mean) * (v - mean)).sum() / (n - 1);
        double t = new TDistribution(n - 1).inverseCumulativeProbability(1 - 0.001 / 2);
        return t * Math.sqrt(variance / n);
    }

    private static Map<Double, Double> percentiles(double[] values) {
        Map<Double, Double> result = new LinkedHashMap<>();
        if (values.length == 0) {
            return result;
        }
        Percentile percentile = new Percentile();
        percentile.setData(values);
        for (double p : PERCENTILES) {
            result.put(p, p == 0.0 ? Arrays.stream(values).min().orElseThrow() : percentile.evaluate(p));
        }
        return result;
    }

    private static Map<Double, Double> histogramPercentiles(JsonArray forks) {
        List<double[]> bins = new ArrayList<>();
        for (JsonElement fork : forks) {
            for (JsonElement iteration : fork.getAsJsonArray()) {
                for (JsonElement bin : iteration.getAsJsonArray()) {
                    JsonArray pair = bin.getAsJsonArray();
                    bins.add(new double[] {JmhResultFile.number(pair.get(0)), pair.get(1).getAsDouble()});
                }
            }
        }
        bins.sort((a, b) -> Double.compare(a[0], b[0]));
        double total = bins.stream().mapToDouble(b -> b[1]).sum();
        Map<Double, Double> result = new LinkedHashMap<>();
        if (total == 0) {
            return result;
        }
        for (double p : PERCENTILES) {
            double rank = p / 100.0 * total;
            double seen = 0;
            double at = bins.get(bins.size() - 1)[0];
            for (double[] bin : bins) {
                seen += bin[1];
                if (seen >= rank && bin[1] > 0) {
                    at = bin[0];
                    break;
                }
            }
            result.put(p, at);
        }
        return result;
    }

    private static double[] histogramMeans(JsonArray forks) {
        List<Double> means = new ArrayList<>();
        for (JsonElement fork : forks) {
            for (JsonElement iteration : fork.getAsJsonArray()) {
                double sum = 0;
                double count = 0;
                for (JsonElement bin : iteration.getAsJsonArray()) {
                    JsonArray pair = bin.getAsJsonArray();
                    sum += JmhResultFile.number(pair.get(0)) * pair.get(1).getAsDouble();
                    count += pair.get(1).getAsDouble();
                }
                if (count > 0) {
                    means.add(sum / count);
                }
            }
        }
        return means.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** {sum of value x count, total count} over every bin. */
    private static double[] weightedSamples(JsonArray forks) {
        double sum = 0;
        double count = 0;
        for (JsonElement fork : forks) {
            for (JsonElement iteration : fork.getAsJsonArray()) {
                for (JsonElement bin : iteration.getAsJsonArray()) {
                    JsonArray pair = bin.getAsJsonArray();
                    sum += JmhResultFile.number(pair.get(0)) * pair.get(1).getAsDouble();
                    count += pair.get(1).getAsDouble();
                }
            }
        }
        return new double[] {sum, count};
    }

    private static void putPercentiles(JsonObject metric, Map<Double, Double> percentiles) {
        JsonObject out = new JsonObject();
        percentiles.forEach((p, v) -> out.add(String.valueOf(p), number(v)));
        metric.add("scorePercentiles", out);
    }

    private static double[] flatten(JsonArray forks) {
        List<Double> values = new ArrayList<>();
        for (JsonElement fork : forks) {
            fork.getAsJsonArray().forEach(v -> values.add(JmhResultFile.number(v)));
        }
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** JMH writes non-finite doubles as strings. */
    private static JsonPrimitive number(double v) {
        if (Double.isNaN(v)) {
            return new JsonPrimitive("NaN");
        }
        if (Double.isInfinite(v)) {
            return new JsonPrimitive(v > 0 ? "+INF" : "-INF");
        }
        return new JsonPrimitive(v);
    }
}
