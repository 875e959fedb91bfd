package io.wsbench.results;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * One JMH result file from runs of the same preset on several JDKs ({@code scripts/bench --jdk}): every result keeps
 * what JMH wrote and gains the parameter {@value #JDK}, its JVM's feature release read from JMH's {@code jdkVersion}
 * ({@code 17}, {@code 25}), so the reports see the JDK as a dimension like any {@code @Param} and put each server on
 * each JDK side by side.
 *
 * <pre>java -cp target/benchmarks.jar io.wsbench.results.JdkMerge OUT.json IN.json [IN.json …]</pre>
 */
public final class JdkMerge {

    /** The parameter that names a result's JDK in a merged file. */
    public static final String JDK = "jdk";

    private JdkMerge() {
    }

    public static void main(String[] args) {
        if (args.length < 2) {
            System.err.println("usage: JdkMerge OUT.json IN.json [IN.json …]  (JMH JSON files of runs on different JDKs)");
            System.exit(2);
        }
        try {
            merge(Path.of(args[0]), List.of(args).subList(1, args.length).stream().map(Path::of).toList());
        } catch (JmhResultFileException e) {
            System.err.println("JdkMerge: " + e.getMessage());
            System.exit(2);
        }
    }

    /** Writes {@code out}: the results of every input, in order, each with its {@value #JDK} parameter. */
    public static void merge(Path out, List<Path> inputs) {
        JsonArray merged = new JsonArray();
        for (Path input : inputs) {
            for (JsonElement element : readArray(input)) {
                JsonObject result = element.getAsJsonObject();
                if (!result.has("params")) {
                    result.add("params", new JsonObject());
                }
                result.getAsJsonObject("params").addProperty(JDK, featureRelease(input, result));
                merged.add(result);
            }
        }
        RunRecord.write(out, new GsonBuilder().setPrettyPrinting().create().toJson(merged) + "\n");
    }

    /** {@code 25} for {@code "jdkVersion": "25.0.1"}, {@code 17} for {@code "17.0.15"}, {@code 8} for {@code "1.8.0_402"}. */
    static String featureRelease(Path source, JsonObject result) {
        JsonElement version = result.get("jdkVersion");
        if (version == null || !version.isJsonPrimitive() || version.getAsString().isBlank()) {
            throw new JmhResultFileException(source + ": a result has no jdkVersion, so its JDK is unknown; pass the "
                    + "files JMH wrote with -rf json");
        }
        String[] parts = version.getAsString().split("[.+_-]");
        return parts[0].equals("1") && parts.length > 1 ? parts[1] : parts[0];
    }

    private static JsonArray readArray(Path input) {
        JsonElement root;
        try {
            root = JsonParser.parseString(Files.readString(input, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new JmhResultFileException("cannot read " + input + ": " + e.getMessage(), e);
        } catch (JsonParseException e) {
            throw new JmhResultFileException(input + ": not valid JSON (" + e.getMessage() + ")", e);
        }
        if (!root.isJsonArray()) {
            throw new JmhResultFileException(input + ": not a JMH result file (expected a JSON array of results)");
        }
        return root.getAsJsonArray();
    }
}
