package io.wsbench.gate;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * How much worse a row's score may get before the gate calls it a regression: one percentage for every row, and
 * another for the rows whose benchmark name contains a given text ({@code --row-threshold
 * EchoRoundTripBenchmark=3}). Rows spread differently: the pinned round trip's forks are about 2 % apart, the codec
 * rows' 2.5–6 %, so one threshold either misses a 5 % slowdown of the first or false-alarms on the second.
 *
 * @param defaultPercent for a row no entry names
 * @param byName         benchmark-name text → percentage; the first entry whose text the name contains wins
 */
public record Thresholds(double defaultPercent, Map<String, Double> byName) {

    /**
     * The rows that get their own threshold unless {@code --row-threshold} says otherwise: the pinned round trip, whose
     * forks are 2.0 % apart (docs/gate.md), at 3 %, which with 6 forks a side catches a 5 % slowdown in 88.6 % of
     * resampled runs for 0.3 % false alarms, where the default 10 % catches none.
     */
    static final Map<String, Double> DEFAULT_BY_NAME = Map.of("EchoRoundTripBenchmark", 3.0);

    public Thresholds {
        requirePositive(defaultPercent, "threshold");
        byName = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(byName));
        byName.forEach((name, percent) -> requirePositive(percent, "--row-threshold " + name));
    }

    /** One threshold for every row. */
    public static Thresholds of(double defaultPercent) {
        return new Thresholds(defaultPercent, Map.of());
    }

    /**
     * {@code defaultPercent}, each {@code NAME=PCT} of {@code specs}, then {@link #DEFAULT_BY_NAME} for the names the
     * specs do not give.
     *
     * @throws GateInputException naming the entry that is not NAME=PCT
     */
    public static Thresholds parse(double defaultPercent, List<String> specs) {
        Map<String, Double> byName = new LinkedHashMap<>();
        for (String spec : specs) {
            int equals = spec.lastIndexOf('=');
            try {
                if (equals <= 0) {
                    throw new NumberFormatException();
                }
                byName.put(spec.substring(0, equals), Double.parseDouble(spec.substring(equals + 1)));
            } catch (NumberFormatException e) {
                throw new GateInputException("--row-threshold needs NAME=PCT (rows whose benchmark name contains NAME get"
                        + " threshold PCT %), such as EchoRoundTripBenchmark=3; was '" + spec + "'");
            }
        }
        DEFAULT_BY_NAME.forEach(byName::putIfAbsent);
        return new Thresholds(defaultPercent, byName);
    }

    /** The threshold of a row of {@code benchmark} (its full or short name). */
    public double forBenchmark(String benchmark) {
        return byName.entrySet().stream().filter(e -> benchmark.contains(e.getKey())).map(Map.Entry::getValue)
                .findFirst().orElse(defaultPercent);
    }

    /** "10%", or "10% (3% for EchoRoundTripBenchmark)". */
    public String describe() {
        String all = RegressionGate.trim(defaultPercent) + "%";
        if (byName.isEmpty()) {
            return all;
        }
        return all + " (" + byName.entrySet().stream()
                .map(e -> RegressionGate.trim(e.getValue()) + "% for " + e.getKey())
                .collect(Collectors.joining(", ")) + ")";
    }

    private static void requirePositive(double percent, String what) {
        if (!(percent > 0) || Double.isInfinite(percent)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%s must be a positive percentage such as 10, was %s", what, percent));
        }
    }
}
