package io.wsbench.record;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalDouble;

/** Memory of this JVM: live heap after a full GC, and resident set size as the kernel sees it. */
public final class ProcessMemory {
    private static final Path STATUS = Path.of("/proc/self/status");
    private static final double BYTES_PER_MIB = 1024.0 * 1024.0;

    private ProcessMemory() {
    }

    /**
     * Heap in use right after {@code System.gc()}, in MiB: what the live objects need. Costs a full,
     * stop-the-world collection (tens of milliseconds on a 1 GiB heap), so call it outside any
     * measured window.
     */
    public static double heapUsedAfterGcMiB() {
        return heapUsedAfterGcBytes() / BYTES_PER_MIB;
    }

    /** {@link #heapUsedAfterGcMiB()} in bytes: what a forked server's JVM reports to the benchmark JVM. */
    public static long heapUsedAfterGcBytes() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** VmRSS from /proc/self/status in MiB; empty where there is no /proc (not Linux). */
    public static OptionalDouble residentSetMiB() {
        if (!Files.isReadable(STATUS)) {
            return OptionalDouble.empty();
        }
        try {
            return parseVmRssMiB(Files.readAllLines(STATUS));
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + STATUS, e);
        }
    }

    /** The {@code VmRSS:   123456 kB} line of a /proc status file, in MiB. */
    static OptionalDouble parseVmRssMiB(List<String> statusLines) {
        for (String line : statusLines) {
            if (line.startsWith("VmRSS:")) {
                String[] fields = line.substring("VmRSS:".length()).trim().split("\\s+");
                if (fields.length != 2 || !fields[1].equals("kB")) {
                    throw new IllegalStateException("unexpected VmRSS line in " + STATUS + ": '" + line + "'");
                }
                return OptionalDouble.of(Long.parseLong(fields[0]) / 1024.0);
            }
        }
        return OptionalDouble.empty();
    }
}
