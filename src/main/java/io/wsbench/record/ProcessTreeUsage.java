package io.wsbench.record;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Stream;

/**
 * CPU time and memory of another process and all its descendants, read from {@code /proc} (Linux): for a
 * server that runs outside the benchmark JVM, as a child process or as a {@code target} on this host.
 *
 * <p>CPU is {@code utime + stime + cutime + cstime} of {@code /proc/PID/stat} summed over the tree: every
 * thread of each process, plus what its children that already ended used, so a child that exits between two
 * samples keeps its CPU in the total. The kernel counts it in clock ticks of {@value #TICKS_PER_SECOND} per
 * second ({@code USER_HZ}, fixed at 100 in Linux's ABI), so it is exact to 10 ms: read it over seconds, not
 * milliseconds. Memory is the sum of {@code VmRSS} of {@code /proc/PID/status} over the tree, in MiB. This JVM and
 * its own children are never counted, even when they are in the tree (a target served by the process that started
 * this JVM, as in tests).
 *
 * @param cpuNanos CPU time used by the tree since each process started
 * @param residentSetMiB resident memory of the tree now
 * @param processes how many processes were read: the root and its live descendants
 */
public record ProcessTreeUsage(long cpuNanos, double residentSetMiB, int processes) {
    static final long TICKS_PER_SECOND = 100;
    private static final Path PROC = Path.of("/proc");
    private static final long NANOS_PER_TICK = 1_000_000_000L / TICKS_PER_SECOND;
    /** {@code /proc/net/tcp} state of a listening socket. */
    private static final String TCP_LISTEN = "0A";

    /**
     * A sample of {@code pid}'s tree now.
     *
     * @throws IllegalStateException if the process does not exist (any more), or there is no {@code /proc}
     */
    public static ProcessTreeUsage sample(long pid) {
        ProcessHandle root = ProcessHandle.of(pid).orElseThrow(() -> new IllegalStateException("no process " + pid
                + " to read CPU and memory of: it has exited"));
        List<ProcessHandle> descendants = root.descendants().toList();
        // This JVM may be in the tree (a target served by the process that started this benchmark JVM): it is the
        // client then, so it and its own children are left out.
        ProcessHandle self = ProcessHandle.current();
        Set<Long> excluded = new HashSet<>();
        if (descendants.stream().anyMatch(p -> p.pid() == self.pid())) {
            excluded.add(self.pid());
            self.descendants().forEach(p -> excluded.add(p.pid()));
        }
        List<Long> pids = new ArrayList<>();
        pids.add(pid);
        descendants.stream().filter(p -> !excluded.contains(p.pid())).forEach(p -> pids.add(p.pid()));
        long ticks = 0;
        double rss = 0;
        int counted = 0;
        for (long p : pids) {
            try {
                String stat = Files.readString(PROC.resolve(p + "/stat"));
                List<String> status = Files.readAllLines(PROC.resolve(p + "/status"));
                ticks += cpuTicks(stat);
                rss += ProcessMemory.parseVmRssMiB(status).orElse(0);
                counted++;
            } catch (NoSuchFileException e) {
                if (p == pid) {
                    throw new IllegalStateException("no process " + pid + " to read CPU and memory of: it has exited", e);
                }
                // A descendant that ended after it was listed: its CPU is in its parent's cutime/cstime from now on.
                continue;
            } catch (IOException e) {
                throw new UncheckedIOException("could not read /proc/" + p, e);
            }
        }
        return new ProcessTreeUsage(ticks * NANOS_PER_TICK, rss, counted);
    }

    /** The CPU used from {@code earlier} to this sample, in nanoseconds (never negative). */
    public long cpuNanosSince(ProcessTreeUsage earlier) {
        return Math.max(0, cpuNanos - earlier.cpuNanos);
    }

    /** utime + stime + cutime + cstime: fields 14 to 17 of a {@code /proc/PID/stat} line, counted after the {@code (comm)}. */
    static long cpuTicks(String statLine) {
        int end = statLine.lastIndexOf(')');
        if (end < 0) {
            throw new IllegalStateException("unexpected /proc/PID/stat line: '" + statLine + "'");
        }
        // After ") " come field 3 (state) onwards: field N is at index N - 3.
        String[] fields = statLine.substring(end + 2).trim().split("\\s+");
        if (fields.length < 15) {
            throw new IllegalStateException("unexpected /proc/PID/stat line, too few fields: '" + statLine + "'");
        }
        long total = 0;
        for (int field = 14; field <= 17; field++) {
            total += Long.parseLong(fields[field - 3]);
        }
        return total;
    }

    /**
     * The process that listens on TCP {@code port} on this host (IPv4 or IPv6), found through the socket's inode in
     * {@code /proc/net/tcp[6]} and the {@code /proc/PID/fd} link to it; empty when none is found or this user may
     * not see it (other users' file descriptors need root).
     */
    public static OptionalLong pidListeningOn(int port) {
        List<String> inodes = new ArrayList<>();
        for (String table : List.of("net/tcp", "net/tcp6")) {
            Path file = PROC.resolve(table);
            if (!Files.isReadable(file)) {
                continue;
            }
            try {
                inodes.addAll(listeningInodes(Files.readAllLines(file), port));
            } catch (IOException e) {
                throw new UncheckedIOException("could not read " + file, e);
            }
        }
        if (inodes.isEmpty()) {
            return OptionalLong.empty();
        }
        List<String> links = inodes.stream().map(inode -> "socket:[" + inode + "]").toList();
        try (Stream<Path> processes = Files.list(PROC)) {
            for (Path dir : processes.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit)).toList()) {
                if (holdsAny(dir.resolve("fd"), links)) {
                    return OptionalLong.of(Long.parseLong(dir.getFileName().toString()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not list " + PROC, e);
        }
        return OptionalLong.empty();
    }

    /** Inodes of the sockets listening on {@code port} in the lines of a {@code /proc/net/tcp} table. */
    static List<String> listeningInodes(List<String> tableLines, int port) {
        String hexPort = String.format(Locale.ROOT, "%04X", port);
        List<String> inodes = new ArrayList<>();
        for (String line : tableLines) {
            String[] f = line.trim().split("\\s+");
            // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode
            if (f.length < 10 || !f[1].contains(":")) {
                continue;
            }
            String localPort = f[1].substring(f[1].lastIndexOf(':') + 1);
            if (localPort.equalsIgnoreCase(hexPort) && f[3].equals(TCP_LISTEN) && !f[9].equals("0")) {
                inodes.add(f[9]);
            }
        }
        return inodes;
    }

    private static boolean holdsAny(Path fdDir, List<String> links) {
        if (!Files.isReadable(fdDir)) {
            return false;
        }
        try (Stream<Path> fds = Files.list(fdDir)) {
            for (Path fd : fds.toList()) {
                try {
                    if (links.contains(Files.readSymbolicLink(fd).toString())) {
                        return true;
                    }
                } catch (NoSuchFileException e) {
                    // The descriptor was closed while the directory was read: it cannot be the listening socket.
                    continue;
                }
            }
        } catch (NoSuchFileException e) {
            return false; // the process ended while it was looked at
        } catch (AccessDeniedException e) {
            return false; // another user's process: its descriptors are not ours to see
        } catch (IOException e) {
            throw new UncheckedIOException("could not list " + fdDir, e);
        }
        return false;
    }
}
