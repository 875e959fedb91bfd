package io.wsbench.record;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * CPU time used so far in this JVM, by who used it: the server's threads, the client's threads, the JVM's garbage
 * collector and JIT compiler, and everything else (JMH's own threads, the VM thread, other JVM work).
 *
 * <p>Java threads are read with {@code ThreadMXBean.getThreadCpuTime} (nanoseconds) and sorted by the predicates a
 * benchmark gives: the server's threads ({@code EchoServer.ownsThread}) and the client's. GC and compiler threads are
 * not Java threads; they are read from {@code /proc/self/task/<tid>/stat} by their names ({@code GC Thread#0}, {@code
 * G1 Conc#0}, {@code C2 CompilerThre} ...) in clock ticks of 10 ms. "Other" is the process total ({@code
 * getProcessCpuTime}) minus all of these, never below zero. A server or client thread that ends keeps the CPU it
 * had at the last sample that saw it ({@link #take}). Busy fractions of single client threads are kept too, so a
 * saturated client thread can be reported ({@link Split#busiestClientThreadCores()}).
 */
public record ThreadCpu(long wallNanos, Map<Role, Long> cpuNanos, Map<Long, Long> clientThreadNanos) {

    /** Who used the CPU. */
    public enum Role {
        SERVER("server"), CLIENT("client"), GC("gc"), JIT("jit"), OTHER("jvmOther");

        private final String metric;

        Role(String metric) {
            this.metric = metric;
        }

        /** The role's name in metric names: {@code cpu.server.usPerMsg}. */
        public String metric() {
            return metric;
        }
    }

    /** Linux's USER_HZ: /proc counts CPU time in ticks of 1/100 s on every architecture the JDK runs on. */
    private static final long NANOS_PER_TICK = 10_000_000L;
    private static final Path TASKS = Path.of("/proc/self/task");

    /** Each live Java thread's role and CPU at the last sample, to keep the CPU of a thread after it ends. */
    private static final Map<Long, Seen> LAST_SEEN = new HashMap<>();
    /** CPU of the Java threads that ended, by the role they had when last seen; only grows. */
    private static final Map<Role, Long> ENDED = new EnumMap<>(Role.class);

    private record Seen(Role role, long nanos) {
    }

    /**
     * Takes a sample now. A Java thread that ended since the last sample keeps, in its role, the CPU it had used by
     * then (the JVM forgets a thread's CPU when it ends), so a role's CPU never goes backwards when its threads come
     * and go between samples; what it used after the last sample before it ended falls to {@code jvmOther}, which the
     * process total still counts.
     */
    public static synchronized ThreadCpu take(Predicate<Thread> isServerThread, Predicate<Thread> isClientThread) {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        if (!mx.isThreadCpuTimeSupported() || !mx.isThreadCpuTimeEnabled()) {
            throw new IllegalStateException("this JVM does not measure per-thread CPU time, so server, client and JVM"
                    + " CPU cannot be told apart; run on HotSpot (OpenJDK) or leave out the CPU metrics");
        }
        Map<Role, Long> cpu = new EnumMap<>(Role.class);
        for (Role role : Role.values()) {
            cpu.put(role, 0L);
        }
        Map<Long, Long> clientThreads = new HashMap<>();
        javaThreads(mx, isServerThread, isClientThread, cpu, clientThreads);
        long[] gcAndJit = vmThreadTicks();
        cpu.put(Role.GC, gcAndJit[0] * NANOS_PER_TICK);
        cpu.put(Role.JIT, gcAndJit[1] * NANOS_PER_TICK);
        long process = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
        if (process < 0) {
            throw new IllegalStateException("this platform does not report the process CPU time, so the JVM's own CPU"
                    + " cannot be measured");
        }
        long attributed = cpu.get(Role.SERVER) + cpu.get(Role.CLIENT) + cpu.get(Role.GC) + cpu.get(Role.JIT);
        cpu.put(Role.OTHER, Math.max(0, process - attributed));
        return new ThreadCpu(System.nanoTime(), cpu, clientThreads);
    }

    /**
     * Notes every live Java thread's CPU and role, so that one that ends before the next {@link #take} keeps what it
     * had used by now: a benchmark calls it every few hundred milliseconds during an iteration, as a thread that
     * starts and ends between two samples would otherwise be lost. Cheaper than a sample: no /proc, no process total.
     */
    public static synchronized void noteThreads(Predicate<Thread> isServerThread, Predicate<Thread> isClientThread) {
        javaThreads(ManagementFactory.getThreadMXBean(), isServerThread, isClientThread, new EnumMap<>(Role.class),
                new HashMap<>());
    }

    /** Adds the live Java threads' CPU to {@code cpu} by role, and the ended ones' as last seen; records who was seen. */
    private static void javaThreads(ThreadMXBean mx, Predicate<Thread> isServerThread, Predicate<Thread> isClientThread,
            Map<Role, Long> cpu, Map<Long, Long> clientThreads) {
        Map<Long, Seen> seen = new HashMap<>();
        for (Thread thread : liveThreads()) {
            long nanos = mx.getThreadCpuTime(thread.getId());
            if (nanos <= 0) {
                continue; // -1: ended after it was listed (its CPU is kept below, from the last sample that saw it)
            }
            Role role = isServerThread.test(thread) ? Role.SERVER : isClientThread.test(thread) ? Role.CLIENT : Role.OTHER;
            seen.put(thread.getId(), new Seen(role, nanos));
            if (role != Role.OTHER) {
                cpu.merge(role, nanos, Long::sum);
            }
            if (role == Role.CLIENT) {
                clientThreads.put(thread.getId(), nanos);
            }
        }
        LAST_SEEN.forEach((id, last) -> {
            if (!seen.containsKey(id) && last.role() != Role.OTHER) {
                ENDED.merge(last.role(), last.nanos(), Long::sum);
            }
        });
        LAST_SEEN.clear();
        LAST_SEEN.putAll(seen);
        ENDED.forEach((role, nanos) -> cpu.merge(role, nanos, Long::sum));
    }

    private static Thread[] liveThreads() {
        ThreadGroup root = Thread.currentThread().getThreadGroup();
        while (root.getParent() != null) {
            root = root.getParent();
        }
        Thread[] buffer = new Thread[root.activeCount() + 64];
        int count = root.enumerate(buffer, true);
        Thread[] threads = new Thread[count];
        System.arraycopy(buffer, 0, threads, 0, count);
        return threads;
    }

    /** {gc ticks, jit ticks} of the JVM's own native threads; zeros where /proc is not there. */
    private static long[] vmThreadTicks() {
        long[] ticks = new long[2];
        if (!Files.isDirectory(TASKS)) {
            return ticks;
        }
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(TASKS)) {
            for (Path task : tasks) {
                String stat;
                try {
                    stat = Files.readString(task.resolve("stat"), StandardCharsets.UTF_8);
                } catch (IOException ended) {
                    continue; // the thread ended between listing and reading
                }
                int open = stat.indexOf('(');
                int close = stat.lastIndexOf(')');
                if (open < 0 || close < open) {
                    continue;
                }
                Role role = vmRole(stat.substring(open + 1, close));
                if (role != null) {
                    // Fields after the name: state(3) ... utime(14) stime(15), 1-based over the whole line.
                    String[] fields = stat.substring(close + 2).split(" ");
                    long used = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
                    ticks[role == Role.GC ? 0 : 1] += used;
                }
            }
        } catch (IOException e) {
            return ticks;
        }
        return ticks;
    }

    /** GC or JIT for the JVM's native thread names (at most 15 characters on Linux), null for any other thread. */
    static Role vmRole(String threadName) {
        if (threadName.startsWith("GC Thread") || threadName.startsWith("G1 ") || threadName.startsWith("ZGC")
                || threadName.startsWith("Shenandoah") || threadName.startsWith("ParGC") || threadName.startsWith("Parallel GC")) {
            return Role.GC;
        }
        if (threadName.startsWith("C1 CompilerThre") || threadName.startsWith("C2 CompilerThre")
                || threadName.startsWith("C1 Compiler") || threadName.startsWith("C2 Compiler")) {
            return Role.JIT;
        }
        return null;
    }

    /** The CPU used between this sample and a later one. */
    public Split until(ThreadCpu later) {
        Map<Role, Long> used = new EnumMap<>(Role.class);
        for (Role role : Role.values()) {
            used.put(role, Math.max(0, later.cpuNanos.get(role) - cpuNanos.get(role)));
        }
        long busiest = 0;
        for (Map.Entry<Long, Long> thread : later.clientThreadNanos.entrySet()) {
            long before = clientThreadNanos.getOrDefault(thread.getKey(), 0L);
            busiest = Math.max(busiest, thread.getValue() - before);
        }
        return new Split(later.wallNanos - wallNanos, used, busiest);
    }

    /**
     * CPU used over a stretch of wall-clock time, by role, and the busiest single client thread's share of it.
     *
     * @param wallNanos the stretch of time
     * @param cpuNanos CPU nanoseconds each role used in it
     * @param busiestClientThreadNanos CPU nanoseconds of the client thread that used the most
     */
    public record Split(long wallNanos, Map<Role, Long> cpuNanos, long busiestClientThreadNanos) {
        /** A client thread at least this busy (of one core) was likely the limit of the run, not the server. */
        public static final double SATURATED_CORE_FRACTION = 0.9;

        public Split {
            if (wallNanos <= 0) {
                throw new IllegalArgumentException("need a positive time span, got " + wallNanos + " ns");
            }
        }

        /** Percent of one core: 100 = one core busy all the time. */
        public double percentOfCore(Role role) {
            return 100.0 * cpuNanos.get(role) / wallNanos;
        }

        public double microsPerMessage(Role role, long messages) {
            if (messages <= 0) {
                throw new IllegalArgumentException("CPU per message needs at least one message, got " + messages);
            }
            return cpuNanos.get(role) / 1000.0 / messages;
        }

        /** The busiest client thread's CPU as a fraction of one core. */
        public double busiestClientThreadCores() {
            return (double) busiestClientThreadNanos / wallNanos;
        }

        public boolean clientSaturated() {
            return busiestClientThreadCores() >= SATURATED_CORE_FRACTION;
        }
    }
}
