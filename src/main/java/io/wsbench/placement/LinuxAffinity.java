package io.wsbench.placement;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Linux's CPU affinity of single threads: set with {@code sched_setaffinity(tid, ...)} (through JNA, so any thread of
 * this or another process can be pinned by its id, whoever created it) and read back from {@code
 * /proc/PID/task/TID/status}, as the kernel has it.
 */
final class LinuxAffinity {
    /** glibc's cpu_set_t: 1024 CPUs. */
    private static final int MASK_WORDS = 16;
    private static final int ESRCH = 3;
    private static final String ALLOWED_FIELD = "Cpus_allowed_list:";

    private interface LibC extends Library {
        int sched_setaffinity(int pid, long cpusetsize, long[] mask) throws LastErrorException;
    }

    private static final class Holder {
        static final LibC LIBC = Native.load("c", LibC.class);
    }

    private LinuxAffinity() {
    }

    /**
     * Lets thread {@code tid} run on {@code cpus} only.
     *
     * @return false when the thread has ended meanwhile
     */
    static boolean pin(long tid, CpuSet cpus) {
        try {
            Holder.LIBC.sched_setaffinity((int) tid, 8L * MASK_WORDS, cpus.mask(MASK_WORDS));
            return true;
        } catch (LastErrorException e) {
            if (e.getErrorCode() == ESRCH) {
                return false;
            }
            throw new IllegalStateException("sched_setaffinity(" + tid + ", CPUs " + cpus + ") failed with errno "
                    + e.getErrorCode() + " (" + e.getMessage() + "): is a CPU offline, or the thread another user's?", e);
        }
    }

    /** The thread ids of process {@code pid}; empty when it has ended. */
    static List<Long> threadsOf(long pid) {
        List<Long> tids = new ArrayList<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks) {
                tids.add(Long.parseLong(task.getFileName().toString()));
            }
        } catch (NoSuchFileException ended) {
            return List.of();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the threads of process " + pid + " in /proc", e);
        }
        return tids;
    }

    /** The CPUs thread {@code tid} of process {@code pid} may run on; empty when it has ended. */
    static Optional<CpuSet> allowed(long pid, long tid) {
        return allowedIn(Path.of("/proc", Long.toString(pid), "task", Long.toString(tid), "status"));
    }

    /** The CPUs this process's main thread may run on: what the JVM was started with (taskset, cgroup cpuset). */
    static CpuSet allowedForThisProcess() {
        return allowedIn(Path.of("/proc/self/status")).orElseThrow(() -> new IllegalStateException(
                "/proc/self/status has no " + ALLOWED_FIELD + " line"));
    }

    private static Optional<CpuSet> allowedIn(Path status) {
        List<String> lines;
        try {
            lines = Files.readAllLines(status, StandardCharsets.UTF_8);
        } catch (NoSuchFileException ended) {
            return Optional.empty();
        } catch (IOException e) {
            // A thread that ended while being read answers ESRCH rather than "no such file".
            if (!Files.exists(status)) {
                return Optional.empty();
            }
            throw new UncheckedIOException("cannot read " + status, e);
        }
        for (String line : lines) {
            if (line.startsWith(ALLOWED_FIELD)) {
                return Optional.of(CpuSet.parse(line.substring(ALLOWED_FIELD.length()), ','));
            }
        }
        return Optional.empty();
    }
}
