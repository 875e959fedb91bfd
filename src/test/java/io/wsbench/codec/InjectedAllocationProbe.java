package io.wsbench.codec;

import java.lang.management.ManagementFactory;

/**
 * Run in its own JVM by {@link InjectedAllocationTest}: calls {@link InjectedSlowdown#perFrame()} as many times as
 * its argument says and prints the bytes this thread allocated meanwhile (HotSpot's per-thread counter, the one
 * {@code -prof gc} reads). The switches are JVM properties read once, so each setting needs a JVM of its own.
 */
public final class InjectedAllocationProbe {

    private InjectedAllocationProbe() {
    }

    public static void main(String[] args) {
        int frames = Integer.parseInt(args[0]);
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        InjectedSlowdown.perFrame(); // initialises the class (reads the switches) before the count starts
        long before = threads.getThreadAllocatedBytes(thread);
        for (int i = 0; i < frames; i++) {
            InjectedSlowdown.perFrame();
        }
        long after = threads.getThreadAllocatedBytes(thread);
        System.out.println(after - before);
    }
}
