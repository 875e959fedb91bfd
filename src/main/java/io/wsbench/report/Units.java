package io.wsbench.report;

import java.util.Map;

/**
 * Converts JMH score units to the ones the report prints, so a run made with another {@code -tu}
 * is not mislabelled: latencies in microseconds, rates per second.
 */
public final class Units {

    /** JMH's time unit labels, in microseconds. */
    private static final Map<String, Double> MICROS = Map.of(
            "ns", 1e-3, "us", 1.0, "ms", 1e3, "s", 1e6, "min", 6e7, "hr", 3.6e9, "day", 8.64e10);

    private Units() {
    }

    /** {@code value} in {@code unit} ({@code ns/op}, {@code us}, {@code ms/op} …) as microseconds. */
    public static double toMicros(double value, String unit) {
        String time = unit.endsWith("/op") ? unit.substring(0, unit.length() - "/op".length()) : unit;
        return value * micros(time, unit);
    }

    /** {@code value} in {@code unit} ({@code ops/s}, {@code ops/ms}, {@code msg/s} …) per second. */
    public static double toPerSecond(double value, String unit) {
        int slash = unit.lastIndexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("unit '" + unit + "' is not a rate (expected something like ops/s)");
        }
        return value * 1e6 / micros(unit.substring(slash + 1), unit);
    }

    private static double micros(String time, String unit) {
        Double micros = MICROS.get(time);
        if (micros == null) {
            throw new IllegalArgumentException("unit '" + unit + "' has no time unit the report knows ("
                    + String.join(", ", MICROS.keySet()) + ")");
        }
        return micros;
    }
}
