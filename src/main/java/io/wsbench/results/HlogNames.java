package io.wsbench.results;

import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * How the load benchmark names its HdrHistogram logs and how reports find the log of a result again, in one place:
 * {@code EchoLoadBenchmark.echo-connections=100_loadModel=open_server=netty-fork<N>.hlog}, every non-empty parameter
 * not at a default that says nothing ({@link #UNNAMED_DEFAULTS}) as {@code name=value}, characters a file name cannot
 * hold replaced by {@code _}. A scenario's own histograms (handshakes, the slow subscriber's latency) go to a log of
 * their own beside it, {@code IdleConnectionsBenchmark.echo-connections=100_server=netty-handshake-fork<N>.hlog}
 * ({@link #metricLogPrefix}), which reports keep out of the latency ({@link #isLatencyLog}).
 */
public final class HlogNames {
    public static final String EXTENSION = ".hlog";

    /**
     * Parameters left out of the name at these values, the scaffold's defaults that say nothing about the run; a file
     * name has at most 255 bytes, and a run that changes one of them still names it.
     */
    private static final Map<String, String> UNNAMED_DEFAULTS = Map.ofEntries(
            Map.entry("port", "0"), Map.entry("transport", "auto"), Map.entry("trustAllCertificates", "false"),
            Map.entry("serverThreads", "1"), Map.entry("clientThreads", "1"), Map.entry("inFlight", "1"),
            Map.entry("rampMillis", "0"), Map.entry("tickMicros", "1000"), Map.entry("protocol", "auto"),
            Map.entry("tls", "false"), Map.entry("tlsProvider", "jdk"), Map.entry("compression", "none"),
            Map.entry("payloadContent", "fixed"), Map.entry("serverProcess", "embedded"));

    /**
     * Bytes a name may take before its fork number and extension: Linux file names hold 255. A longer one (a long
     * target URI) keeps its start and ends in a hash of the whole, so it stays unique; reports then find its log only
     * by the parameters in the part kept, and otherwise use the JSON's percentiles.
     */
    private static final int MAX_PREFIX_BYTES = 230;

    /** The metrics whose histograms have a log of their own; the fork number follows the metric's name. */
    private static final Set<String> METRICS_WITH_OWN_LOG = Set.of(MetricNames.HANDSHAKE, MetricNames.SLOW_LATENCY);
    private static final Pattern METRIC_LOG_NAME = Pattern.compile(".*-(" + METRICS_WITH_OWN_LOG.stream()
            .map(Pattern::quote).collect(Collectors.joining("|")) + ")-fork\\d+" + Pattern.quote(EXTENSION));

    private HlogNames() {
    }

    /**
     * The name of a fork's log up to its fork number: the benchmark's short name and its parameters.
     *
     * @param benchmark the benchmark method's full name, {@code io.wsbench.load.EchoLoadBenchmark.echo}
     * @param params its parameters in JMH's order
     */
    public static String forkLogPrefix(String benchmark, Map<String, String> params) {
        return runName(benchmark, params, "");
    }

    /**
     * The name of a fork's log of {@code metric}'s histograms up to its fork number: {@link #forkLogPrefix} with the
     * metric's name before {@code -fork}.
     *
     * @param metric {@link MetricNames#HANDSHAKE} or {@link MetricNames#SLOW_LATENCY}
     */
    public static String metricLogPrefix(String benchmark, Map<String, String> params, String metric) {
        if (!METRICS_WITH_OWN_LOG.contains(metric)) {
            throw new IllegalArgumentException("'" + metric + "' has no log of its own; use one of " + METRICS_WITH_OWN_LOG
                    + ", or add it to HlogNames.METRICS_WITH_OWN_LOG so that reports keep it out of the latency");
        }
        return runName(benchmark, params, "-" + metric);
    }

    /** Whether a log named {@code fileName} holds latencies, not the histograms of a {@link #metricLogPrefix} metric. */
    public static boolean isLatencyLog(String fileName) {
        return !METRIC_LOG_NAME.matcher(fileName).matches();
    }

    /** The benchmark's short name and parameters, then {@code metricPart}: at most {@link #MAX_PREFIX_BYTES}; then -fork. */
    private static String runName(String benchmark, Map<String, String> params, String metricPart) {
        StringJoiner named = new StringJoiner("_");
        params.forEach((key, value) -> {
            if (!value.isEmpty() && !value.equals(UNNAMED_DEFAULTS.get(key))) {
                named.add(key + "=" + value);
            }
        });
        String name = (benchmark.replaceAll(".*\\.(\\w+\\.\\w+)$", "$1") + "-" + named)
                .replaceAll("[^A-Za-z0-9._=,-]", "_");
        if (name.length() + metricPart.length() > MAX_PREFIX_BYTES) {
            String hash = String.format("%08x", name.hashCode());
            name = name.substring(0, MAX_PREFIX_BYTES - metricPart.length() - hash.length() - 1) + "_" + hash;
        }
        return name + metricPart + "-fork";
    }

    /**
     * Whether a log named {@code fileName} holds the result with {@code params}: it names every parameter in {@code
     * varying} (as {@code name=value}, {@code name-value} or {@code name_value}) and gives none a different value.
     */
    public static boolean fits(String fileName, Map<String, String> params, Set<String> varying) {
        for (Map.Entry<String, String> param : params.entrySet()) {
            boolean named = namePattern(param.getKey(), "").matcher(fileName).find();
            if (!named && param.getValue().equals(UNNAMED_DEFAULTS.get(param.getKey()))) {
                continue; // left out of the name at its default
            }
            if (!named && varying.contains(param.getKey())) {
                return false;
            }
            if (named && !namePattern(param.getKey(), valuePattern(param.getValue())).matcher(fileName).find()) {
                return false;
            }
        }
        return true;
    }

    /** {@code name} as a whole word, then one of = - _ :, then {@code rest}. */
    private static Pattern namePattern(String name, String rest) {
        return Pattern.compile("(?<![A-Za-z0-9])" + Pattern.quote(name) + "[=_:-]" + rest, Pattern.CASE_INSENSITIVE);
    }

    /** The value as a whole word; characters a file name cannot hold (as in a URI) may have been replaced. */
    private static String valuePattern(String value) {
        String[] words = value.split("[^A-Za-z0-9]+");
        return Stream.of(words).filter(w -> !w.isEmpty()).map(Pattern::quote)
                .collect(Collectors.joining("[^A-Za-z0-9]+")) + "(?![A-Za-z0-9])";
    }
}
