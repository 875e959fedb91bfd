package io.wsbench.report;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Gives a result of a {@link io.wsbench.testing.ReportJson} file the per-fork iteration scores of a run with several
 * forks and iterations: ReportJson writes one fork of one iteration, or none.
 */
final class ForkScores {

    private ForkScores() {
    }

    /**
     * Rewrites {@code file}: every result whose benchmark ends with {@code method} and whose server is {@code server}
     * gets {@code scores} ([fork][iteration]) as its primary metric's rawData, and the forks and measurement
     * iterations that match them, so it is not taken for a trial cut short.
     */
    static void set(Path file, String method, String server, double[]... scores) throws IOException {
        JsonArray results = JsonParser.parseString(Files.readString(file)).getAsJsonArray();
        for (JsonElement element : results) {
            JsonObject result = element.getAsJsonObject();
            if (result.get("benchmark").getAsString().endsWith(method)
                    && server.equals(result.getAsJsonObject("params").get("server").getAsString())) {
                JsonArray forks = new JsonArray();
                for (double[] fork : scores) {
                    JsonArray iterations = new JsonArray();
                    for (double score : fork) {
                        iterations.add(score);
                    }
                    forks.add(iterations);
                }
                result.getAsJsonObject("primaryMetric").add("rawData", forks);
                result.addProperty("forks", scores.length);
                result.addProperty("measurementIterations", scores[0].length);
            }
        }
        // ReportJson's NaN are strings already, as JMH writes them, so they pass through as they are.
        Files.writeString(file, new GsonBuilder().setPrettyPrinting().create().toJson(results));
    }
}
