package io.wsbench.record;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.function.Predicate;

/**
 * CPU time used so far by the whole process and by the client's threads, with the wall-clock time it
 * was taken at. Two samples give the CPU split of the time between them ({@link #until}).
 *
 * <p>Client time is the sum of {@code ThreadMXBean.getThreadCpuTime} over the live threads whose name
 * the predicate accepts (nanosecond resolution); process time is {@code
 * OperatingSystemMXBean.getProcessCpuTime} (on Linux counted in 10 ms clock ticks). A client thread
 * that dies between two samples takes its CPU time with it, which then counts as the rest's.
 */
public record CpuSample(long wallNanos, long processCpuNanos, long clientCpuNanos) {

    public static CpuSample take(Predicate<String> isClientThread) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        if (!threads.isThreadCpuTimeSupported() || !threads.isThreadCpuTimeEnabled()) {
            throw new IllegalStateException("this JVM does not measure per-thread CPU time, so client and server"
                    + " CPU cannot be told apart; run on HotSpot (OpenJDK) or leave out the CPU metrics");
        }
        long client = 0;
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null && isClientThread.test(info.getThreadName())) {
                long cpu = threads.getThreadCpuTime(info.getThreadId());
                if (cpu > 0) { // -1: the thread ended after it was listed
                    client += cpu;
                }
            }
        }
        long process = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
        if (process < 0) {
            throw new IllegalStateException("this platform does not report the process CPU time, so server CPU cannot be measured");
        }
        return new CpuSample(System.nanoTime(), process, client);
    }

    /** The CPU used between this sample and a later one, on {@code availableProcessors()} cores. */
    public CpuUsage until(CpuSample later) {
        return new CpuUsage(later.wallNanos - wallNanos, later.processCpuNanos - processCpuNanos,
                later.clientCpuNanos - clientCpuNanos, Runtime.getRuntime().availableProcessors());
    }
}
