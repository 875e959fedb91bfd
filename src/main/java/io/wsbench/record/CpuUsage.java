package io.wsbench.record;

/**
 * CPU used over a stretch of wall-clock time, split into the client's threads and everything else in
 * the process: the server under test <i>including the JVM's own work</i> (GC, JIT compiler), which
 * runs on behalf of both but cannot be attributed per thread.
 *
 * <p>Percentages are of all cores together: 100 % means every core of the machine was busy the whole
 * time, so client + server near 100 % says the machine, not the server, was the limit.
 */
public record CpuUsage(long wallNanos, long processCpuNanos, long clientCpuNanos, int cores) {

    public CpuUsage {
        if (wallNanos <= 0 || cores < 1) {
            throw new IllegalArgumentException("need a positive time span and at least one core, got "
                    + wallNanos + " ns on " + cores + " cores");
        }
    }

    /**
     * Process CPU minus client CPU. Process time is counted in clock ticks and thread time in
     * nanoseconds, read a moment apart, so the difference can dip a tick below zero when the server
     * is idle: it is reported as 0 then.
     */
    public long serverCpuNanos() {
        return Math.max(0, processCpuNanos - clientCpuNanos);
    }

    public double clientPercent() {
        return percentOfAllCores(clientCpuNanos);
    }

    public double serverPercent() {
        return percentOfAllCores(serverCpuNanos());
    }

    public double clientMicrosPerMessage(long messages) {
        return microsPer(clientCpuNanos, messages);
    }

    public double serverMicrosPerMessage(long messages) {
        return microsPer(serverCpuNanos(), messages);
    }

    private double percentOfAllCores(long cpuNanos) {
        return 100.0 * cpuNanos / ((double) wallNanos * cores);
    }

    private static double microsPer(long cpuNanos, long messages) {
        if (messages <= 0) {
            throw new IllegalArgumentException("CPU per message needs at least one message, got " + messages);
        }
        return cpuNanos / 1000.0 / messages;
    }
}
