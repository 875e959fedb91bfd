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
 * Each server on each JDK side by side, for a file that holds the same preset run on several JDKs (the parameter
 * {@value JdkMerge#JDK}, as {@code scripts/bench --jdk} and {@code scripts/load --jdk} merge them): for every
 * configuration but the JDK, a row per server with its score and its server CPU per message on each JDK, and the
 * score on the last JDK over the first. The per-JDK tables, with their floor ratios, stay as they are.
 */
final class JdkComparison {

    private static final String SERVER_CPU = MetricNames.cpuMicrosPerMessage("server");

    private JdkComparison() {
    }

    /** The section, or an empty string when the file has results on one JDK only. */
    static String markdown(ServerGrid grid, String method, String scoreHeader) {
        Map<Map<String, String>, Map<String, Map<String, String>>> groups = new LinkedHashMap<>();
        Set<String> jdks = new LinkedHashSet<>();
        for (Map<String, String> config : grid.configs()) {
            String jdk = config.get(JdkMerge.JDK);
            if (jdk == null) {
                return "";
            }
            jdks.add(jdk);
            Map<String, String> rest = new LinkedHashMap<>(config);
            rest.remove(JdkMerge.JDK);
            groups.computeIfAbsent(rest, r -> new LinkedHashMap<>()).put(jdk, config);
        }
        if (jdks.size() < 2 || !grid.ran(method)) {
            return "";
        }
        List<String> order = new ArrayList<>(jdks);
        String first = order.get(0);
        String last = order.get(order.size() - 1);
        List<String> header = new ArrayList<>(List.of("server"));
        order.forEach(jdk -> header.add(scoreHeader + " · JDK " + jdk));
        order.forEach(jdk -> header.add("server CPU µs/msg · JDK " + jdk));
        header.add("JDK " + last + " / JDK " + first);
        StringBuilder out = new StringBuilder("### Each server on each JDK (" + method + ")\n\n")
                .append(scoreHeader).append(" is JMH's score on each JDK, from the per-JDK tables above; server CPU µs/msg ")
                .append("the CPU of the server's threads per message; the last column the score on JDK ").append(last)
                .append(" over JDK ").append(first).append(" (above 1: faster on JDK ").append(last)
                .append("). — : the server did not run on that JDK (it needs a newer one) or its trial failed.\n\n");
        groups.forEach((rest, byJdk) -> {
            List<List<String>> rows = new ArrayList<>();
            for (String server : grid.servers()) {
                List<String> scores = new ArrayList<>();
                List<String> cpu = new ArrayList<>();
                Map<String, Double> perSecond = new LinkedHashMap<>();
                for (String jdk : order) {
                    Optional<Result> result = Optional.ofNullable(byJdk.get(jdk))
                            .flatMap(config -> grid.result(method, config, server));
                    result.ifPresent(r -> perSecond.put(jdk, Units.toPerSecond(r.primaryMetric().score(),
                            r.primaryMetric().scoreUnit())));
                    scores.add(result.map(r -> Markdown.number(perSecond.get(jdk))).orElse(Markdown.NONE));
                    cpu.add(result.map(r -> r.secondaryMetrics().get(SERVER_CPU)).map(Metric::score)
                            .map(Markdown::number).orElse(Markdown.NONE));
                }
                if (perSecond.isEmpty()) {
                    continue;
                }
                List<String> row = new ArrayList<>(List.of(server));
                row.addAll(scores);
                row.addAll(cpu);
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
}
