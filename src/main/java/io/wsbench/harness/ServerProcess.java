package io.wsbench.harness;

import java.util.Locale;

/**
 * Where an embedded JVM server runs, the benchmarks' {@code serverProcess} parameter: inside the benchmark JVM beside
 * the client ({@link #EMBEDDED}, the default), or in a child JVM of its own per trial ({@link #FORKED}, {@link
 * ForkedJvmServer}), so that its CPU time, heap and garbage collections are its own.
 */
public enum ServerProcess {
    EMBEDDED,
    FORKED;

    /**
     * {@code embedded} or {@code forked}, in any case.
     *
     * @throws IllegalArgumentException for anything else, naming the valid values
     */
    public static ServerProcess parse(String value) {
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "embedded" -> EMBEDDED;
            case "forked" -> FORKED;
            default -> throw new IllegalArgumentException("unknown serverProcess '" + value + "': use embedded or forked"
                    + " (the server in a child JVM of its own), e.g. -p serverProcess=forked");
        };
    }

    /** The parameter value: embedded or forked. */
    public String paramValue() {
        return name().toLowerCase(Locale.ROOT);
    }
}
