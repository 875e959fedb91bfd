package io.wsbench.report;

import io.wsbench.results.JdkMerge;
import io.wsbench.servers.EchoServers;
import io.wsbench.results.JmhResultFile.Result;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.StreamSupport;

/**
 * The results of one benchmark class in one file, arranged as JMH ran them: every combination of the
 * parameter values seen (JMH runs the cartesian product of its {@code -p} lists), split into
 * configurations (all parameters but {@code server}) and servers.
 *
 * <p>Because JMH attempts every combination, a combination with no result in a file that has
 * results for its siblings is a trial that failed, not one that was never run.
 */
final class ServerGrid {

    static final String SERVER = "server";
    /** Report order: the registry's servers in its order, then any other name alphabetically (a target's label), then the floors. */
    private static final List<String> SERVER_ORDER = StreamSupport.stream(EchoServers.names().spliterator(), false).toList();
    private static final List<String> FLOORS_LAST = List.of("rawtcp", "socket");

    private final Map<String, Map<Map<String, String>, Result>> byMethod = new LinkedHashMap<>();
    private final List<Map<String, String>> configs;
    private final List<String> servers;
    private final Set<String> varying = new TreeSet<>();

    /**
     * @param results     results of one benchmark class from {@code source}
     * @param leadingParams parameters that order the configurations first (then the others, alphabetically)
     * @throws ReportInputException if a method and parameter combination appears twice
     */
    ServerGrid(String source, List<Result> results, List<String> leadingParams) {
        Map<String, Set<String>> values = new TreeMap<>();
        for (Result r : results) {
            Result previous = byMethod.computeIfAbsent(method(r), m -> new HashMap<>()).put(r.params(), r);
            if (previous != null) {
                throw new ReportInputException(source + " has " + r.shortName() + " " + r.paramsText()
                        + " twice; report each run from its own file");
            }
            r.params().forEach((name, value) -> values.computeIfAbsent(name, n -> new TreeSet<>(VALUE_ORDER)).add(value));
        }
        values.forEach((name, seen) -> {
            if (seen.size() > 1) {
                varying.add(name);
            }
        });
        Set<String> serverValues = values.remove(SERVER);
        servers = serverValues == null ? List.of("") : serverValues.stream().sorted(ServerGrid::compareServers).toList();
        List<String> names = new ArrayList<>();
        leadingParams.stream().filter(values::containsKey).forEach(names::add);
        values.keySet().stream().filter(n -> !names.contains(n)).forEach(names::add);
        configs = product(names, values);
    }

    /** Configurations (every parameter but server) in report order. */
    List<Map<String, String>> configs() {
        return configs;
    }

    /** Servers in report order: the registry's servers, then the others, then the floors. */
    List<String> servers() {
        return servers;
    }

    /**
     * The servers of {@code config}'s rows: all of them, but in a file merged from runs on several JDKs only those that
     * JDK can run (a server that needs a newer JDK was never tried on an older one). A server the JDK can run and that
     * has no result there stays, and shows as failed.
     */
    List<String> servers(Map<String, String> config) {
        String jdk = config.get(JdkMerge.JDK);
        if (jdk == null) {
            return servers;
        }
        int feature = Integer.parseInt(jdk);
        return servers.stream()
                .filter(server -> !SERVER_ORDER.contains(server) || EchoServers.minimumJava(server) <= feature)
                .toList();
    }

    /**
     * The parameters of {@code config} worth naming in a chart: those in {@code always} and those whose
     * value differs between configurations (the rest are the same everywhere and named in the tables).
     */
    Map<String, String> distinguishing(Map<String, String> config, Set<String> always) {
        Map<String, String> shown = new LinkedHashMap<>();
        config.forEach((name, value) -> {
            if (always.contains(name) || varying.contains(name)) {
                shown.put(name, value);
            }
        });
        return shown;
    }

    /** The parameters (but server) with one value in the whole file: said once above the tables, not in each heading. */
    Map<String, String> constants() {
        Map<String, String> same = new LinkedHashMap<>();
        if (!configs.isEmpty()) {
            configs.get(0).forEach((name, value) -> {
                if (!varying.contains(name)) {
                    same.put(name, value);
                }
            });
        }
        return same;
    }

    /** A table heading: the {@code leading} parameters always, the others only where they vary in the file. */
    String heading(Map<String, String> config, List<String> leading) {
        return Markdown.configTitle(distinguishing(config, Set.copyOf(leading)));
    }

    /** Benchmark methods with at least one result, in file order. */
    Set<String> methods() {
        return new LinkedHashSet<>(byMethod.keySet());
    }

    /** True when the file has any result of {@code method}; a missing combination of it then means a failed trial. */
    boolean ran(String method) {
        return byMethod.containsKey(method);
    }

    Optional<Result> result(String method, Map<String, String> config, String server) {
        Map<String, String> params = new TreeMap<>(config);
        if (!server.isEmpty()) {
            params.put(SERVER, server);
        }
        return Optional.ofNullable(byMethod.getOrDefault(method, Map.of()).get(params));
    }

    /** {@code throughput} for {@code io.wsbench.roundtrip.EchoRoundTripBenchmark.throughput}. */
    static String method(Result r) {
        return r.benchmark().substring(r.benchmark().lastIndexOf('.') + 1);
    }

    static int compareServers(String a, String b) {
        int fa = FLOORS_LAST.indexOf(a);
        int fb = FLOORS_LAST.indexOf(b);
        if (fa >= 0 || fb >= 0) {
            return Integer.compare(fa, fb);
        }
        int ia = SERVER_ORDER.indexOf(a);
        int ib = SERVER_ORDER.indexOf(b);
        if (ia >= 0 || ib >= 0) {
            return Integer.compare(ia < 0 ? Integer.MAX_VALUE : ia, ib < 0 ? Integer.MAX_VALUE : ib);
        }
        return a.compareTo(b);
    }

    /** Numbers by value (so 64 < 1024), everything else alphabetically, numbers first. */
    static final Comparator<String> VALUE_ORDER = (a, b) -> {
        Double na = number(a);
        Double nb = number(b);
        if (na != null && nb != null) {
            int byValue = Double.compare(na, nb);
            return byValue != 0 ? byValue : a.compareTo(b);
        }
        if (na != null || nb != null) {
            return na != null ? -1 : 1;
        }
        return a.compareTo(b);
    };

    private static Double number(String s) {
        try {
            return Double.valueOf(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static List<Map<String, String>> product(List<String> names, Map<String, Set<String>> values) {
        List<Map<String, String>> combinations = new ArrayList<>();
        combinations.add(new LinkedHashMap<>());
        for (String name : names) {
            List<Map<String, String>> extended = new ArrayList<>();
            for (Map<String, String> partial : combinations) {
                for (String value : values.get(name)) {
                    Map<String, String> next = new LinkedHashMap<>(partial);
                    next.put(name, value);
                    extended.add(next);
                }
            }
            combinations = extended;
        }
        return combinations;
    }
}
