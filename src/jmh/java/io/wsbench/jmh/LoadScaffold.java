package io.wsbench.jmh;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * The helpers of {@link AbstractLoadBenchmark} (echo load, broadcast, idle connections): one JMH thread counting what
 * the client's event loops did, the checks of JMH options they cannot honour, the parameters as a map for file names and
 * headers, where histogram logs go, and closing a trial's resources in order.
 */
public final class LoadScaffold {
    private static final long AWAIT_SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final String HLOG_DIR_PROPERTY = "wsbench.hlogDir";

    private LoadScaffold() {
    }

    /** Refuses -t other than 1 and modes other than throughput without -opi: one operation is one counted event. */
    public static void requireOneThreadThroughput(BenchmarkParams benchmark, String what) {
        String name = benchmark.getBenchmark().replaceAll(".*\\.(\\w+)\\.\\w+$", "$1");
        if (benchmark.getThreads() != 1) {
            throw new IllegalArgumentException(name + " sends from the client's event loops and counts " + what + " on one JMH"
                    + " thread; run it with -t 1 (was -t " + benchmark.getThreads() + "), and vary its connection counts instead");
        }
        if (benchmark.getMode() != Mode.Throughput || benchmark.getOpsPerInvocation() != 1) {
            throw new IllegalArgumentException(name + " scores " + what + " per second: run it with -bm thrpt and without -opi"
                    + " (was -bm " + benchmark.getMode().shortLabel() + ", -opi " + benchmark.getOpsPerInvocation() + ")");
        }
    }

    /** The shorter of a warmup and a measurement iteration. */
    public static Duration shortestIteration(BenchmarkParams benchmark) {
        long measurement = benchmark.getMeasurement().getTime().convertTo(TimeUnit.NANOSECONDS);
        long warmup = benchmark.getWarmup().getCount() > 0
                ? benchmark.getWarmup().getTime().convertTo(TimeUnit.NANOSECONDS) : Long.MAX_VALUE;
        return Duration.ofNanos(Math.min(measurement, warmup));
    }

    /** The trial's parameters, in JMH's order. */
    public static Map<String, String> params(BenchmarkParams benchmark) {
        Map<String, String> params = new LinkedHashMap<>();
        benchmark.getParamsKeys().forEach(key -> params.put(key, benchmark.getParam(key)));
        return params;
    }

    /** The directory of the trial's histogram logs: {@code -Dwsbench.hlogDir}, by default {@code target/hlog}. */
    public static Path hlogDir() {
        return Path.of(System.getProperty(HLOG_DIR_PROPERTY, "target/hlog"));
    }

    /** {@code Benchmark key=value ...}: the start of a histogram log's header. */
    public static String describe(BenchmarkParams benchmark) {
        StringJoiner params = new StringJoiner(" ");
        for (String key : benchmark.getParamsKeys()) {
            params.add(key + "=" + benchmark.getParam(key));
        }
        return benchmark.getBenchmark() + " " + params;
    }

    /**
     * Waits, parking 1 ms at a time, until {@code count} passes {@code seen}, and returns by how much; checks {@code
     * failure} before every look so a broken connection fails within milliseconds.
     *
     * @throws IllegalStateException when nothing new is counted for {@code stallLimitNanos} and nothing failed either
     */
    public static long awaitMore(LongSupplier count, long seen, Runnable throwIfFailed, long stallLimitNanos, String stalled) {
        long deadline = System.nanoTime() + stallLimitNanos;
        while (true) {
            throwIfFailed.run();
            long now = count.getAsLong();
            if (now > seen) {
                return now - seen;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException(stalled + " for " + TimeUnit.NANOSECONDS.toMillis(stallLimitNanos)
                        + " ms, yet no connection reported a failure");
            }
            LockSupport.parkNanos(AWAIT_SLICE_NANOS);
        }
    }

    /**
     * Closes {@code steps} in order, each even if an earlier one failed; the first failure is thrown (with the others
     * suppressed) unless {@code alreadyFailing} is being thrown, which then carries them.
     */
    public static void closeInOrder(Throwable alreadyFailing, AutoCloseable... steps) {
        Throwable failure = alreadyFailing;
        for (AutoCloseable step : steps) {
            if (step == null) {
                continue;
            }
            try {
                step.close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null && alreadyFailing == null) {
            throw failure instanceof RuntimeException r ? r : new IllegalStateException("closing the trial failed", failure);
        }
    }
}
