package io.wsbench.report;

import io.wsbench.results.JdkMerge;
import io.wsbench.results.JmhResultFile.Metric;
import io.wsbench.results.JmhResultFile.Result;
import io.wsbench.results.MetricNames;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Each server under each value of one parameter, side by side: each JDK of a file that holds the same preset run on
 * several JDKs ({@value JdkMerge#JDK}, as {@code scripts/bench --jdk} and {@code scripts/load --jdk} merge them), and
 * each value of a scenario parameter a run varies ({@code tls}, {@code compression}, ...). For every configuration but
 * that parameter, a row per server with its score and its server CPU per message under each value (bytes on the wire
 * too, when recorded), and the score under the last value over the first. The per-configuration tables stay as they
 * are.
 */
final class ParamComparison {

    private static final String SERVER_CPU = MetricNames.cpuMicrosPerMessage("server");
    private static final String WIRE = MetricNames.WIRE_BYTES_PER_MESSAGE;

    private ParamComparison() {
    }

    /** How a value is named in headers: "JDK 17" for the JDK, "tls=true" for the others. */
    private static String label(String param, String value) {
        return param.equals(JdkMerge.JDK) ? "JDK " + value : param + "=" + value;
    }

    /** The section, or an empty string when the file's results have one value of {@code param} only. */
    static String markdown(ServerGrid grid, String method, String scoreHeader, String param) {
        Map<Map<String, String>, Map<String, Map<String, String>>> groups = new LinkedHashMap<>();
        Set<String> values = new LinkedHashSet<>();
        for (Map<String, String> config : grid.configs()) {
            String value = config.get(param);
            if (value == null) {
                return "";
            }
            values.add(value);
            Map<String, String> rest = new LinkedHashMap<>(config);
            rest.remove(param);
            groups.computeIfAbsent(rest, r -> new LinkedHashMap<>()).put(value, config);
        }
        if (values.size() < 2 || !grid.ran(method)) {
            return "";
        }
        List<String> order = new ArrayList<>(values);
        String first = order.get(0);
        String last = order.get(order.size() - 1);
        boolean wire = grid.configs().stream().anyMatch(config -> grid.servers().stream()
                .flatMap(server -> grid.result(method, config, server).stream())
                .anyMatch(r -> r.secondaryMetrics().containsKey(WIRE)));
        List<String> header = new ArrayList<>(List.of("server"));
        order.forEach(value -> header.add(scoreHeader + " · " + label(param, value)));
        order.forEach(value -> header.add("server CPU µs/msg · " + label(param, value)));
        if (wire) {
            order.forEach(value -> header.add("wire B/msg · " + label(param, value)));
        }
        header.add(label(param, last) + " / " + label(param, first));
        boolean jdk = param.equals(JdkMerge.JDK);
        StringBuilder out = new StringBuilder("### Each server " + (jdk ? "on each JDK" : "with each " + param) + " ("
                + method + ")\n\n")
                .append(scoreHeader).append(" is JMH's score under each value, from the tables above; server CPU µs/msg ")
                .append("the CPU of the server's threads per message").append(wire ? "; wire B/msg the bytes on the client's"
                        + " sockets per message, both ways, TLS records and frames included" : "")
                .append("; the last column the score under ").append(label(param, last)).append(" over ")
                .append(label(param, first)).append(" (above 1: faster). — : the server did not run under that value")
                .append(jdk ? " (it needs a newer JDK)" : " (it does not support it: the trial fails at once, naming why)")
                .append(" or its trial failed.\n\n");
        groups.forEach((rest, byValue) -> {
            List<List<String>> rows = new ArrayList<>();
            for (String server : grid.servers()) {
                List<String> scores = new ArrayList<>();
                List<String> cpu = new ArrayList<>();
                List<String> bytes = new ArrayList<>();
                Map<String, Double> perSecond = new LinkedHashMap<>();
                for (String value : order) {
                    Optional<Result> result = Optional.ofNullable(byValue.get(value))
                            .flatMap(config -> grid.result(method, config, server));
                    result.ifPresent(r -> perSecond.put(value, Units.toPerSecond(r.primaryMetric().score(),
                            r.primaryMetric().scoreUnit())));
                    scores.add(result.map(r -> Markdown.number(perSecond.get(value))).orElse(Markdown.NONE));
                    cpu.add(metric(result, SERVER_CPU));
                    bytes.add(metric(result, WIRE));
                }
                if (perSecond.isEmpty()) {
                    continue;
                }
                List<String> row = new ArrayList<>(List.of(server));
                row.addAll(scores);
                row.addAll(cpu);
                if (wire) {
                    row.addAll(bytes);
                }
                row.add(perSecond.containsKey(first) && perSecond.containsKey(last)
                        ? String.format(Locale.ROOT, "%.2f×", perSecond.get(last) / perSecond.get(first)) : Markdown.NONE);
                rows.add(row);
            }
            String title = Markdown.configTitle(grid.distinguishing(rest, Set.of()));
            if (!title.isEmpty()) {
                out.append("#### ").append(title).append("\n\n");
            }
            out.append(Markdown.table(header, rows)).append('\n');
        });
        return out.toString();
    }

    private static String metric(Optional<Result> result, String name) {
        return result.map(r -> r.secondaryMetrics().get(name)).map(Metric::score).map(Markdown::number).orElse(Markdown.NONE);
    }
}
