package io.wsbench.placement;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Pins every thread of this JVM to its role's CPUs under a {@link CpuPlan}, and every thread of the server's own
 * process tree (a forked JVM, a Python server) to the server's: by Linux thread id, so it works whatever thread
 * factory a server uses. Threads a server starts later (Tomcat's workers, virtual-thread carriers, pollers) inherit
 * the mask of the thread that made them and are pinned again at the next {@link #pin}; call it after the server
 * starts and at each iteration's setup. {@link #misplaced} tells which server or client thread is outside its set
 * now, and {@link #describe} what each role ran on, read back from {@code /proc}.
 */
public final class ThreadPinner {

    /** Whose a thread is. */
    public enum Role {
        SERVER, CLIENT, OTHER;

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private static final long SELF = ProcessHandle.current().pid();
    private static volatile CpuSet startingCpus;

    private final CpuPlan plan;
    private final Predicate<Thread> isServerThread;
    private final Predicate<Thread> isClientThread;
    private final Supplier<OptionalLong> serverProcess;

    public ThreadPinner(CpuPlan plan, Predicate<Thread> isServerThread, Predicate<Thread> isClientThread,
            Supplier<OptionalLong> serverProcess) {
        this.plan = plan;
        this.isServerThread = isServerThread;
        this.isClientThread = isClientThread;
        this.serverProcess = serverProcess;
    }

    /**
     * The CPUs this JVM was started on, read before this class pins anything (later the main thread is pinned too):
     * the set every placement is planned in.
     */
    public static CpuSet jvmCpus() {
        CpuSet cpus = startingCpus;
        if (cpus == null) {
            synchronized (ThreadPinner.class) {
                if (startingCpus == null) {
                    startingCpus = LinuxAffinity.allowedForThisProcess();
                }
                cpus = startingCpus;
            }
        }
        return cpus;
    }

    /** {@code placement} planned on this JVM's CPUs and OS; throws naming the cause when it cannot be had here. */
    public static CpuPlan plan(Placement placement) {
        String os = System.getProperty("os.name", "unknown");
        boolean linux = os.toLowerCase(Locale.ROOT).startsWith("linux");
        return placement.plan(linux ? jvmCpus() : CpuSet.of(), os);
    }

    public CpuPlan plan() {
        return plan;
    }

    /**
     * Pins every thread of the JVM's dump to its role's CPUs (the JVM's own threads, GC and compiler, are "other"), and
     * every thread of the server's process to the server's; does nothing for {@code none}. A thread being born while
     * the dump is taken is not in it and keeps its creator's CPUs until the next call: never guessed at.
     */
    public void pin() {
        if (!plan.pins()) {
            return;
        }
        NativeThreadIds dump = NativeThreadIds.ofThisJvm();
        Map<Thread, Long> javaThreads = javaThreads(dump);
        Set<Long> unpinned = new HashSet<>(dump.all());
        for (Map.Entry<Thread, Long> thread : javaThreads.entrySet()) {
            LinuxAffinity.pin(thread.getValue(), cpus(roleOf(thread.getKey())));
            unpinned.remove(thread.getValue());
        }
        for (long tid : unpinned) {
            LinuxAffinity.pin(tid, plan.other());
        }
        for (long pid : serverProcesses()) {
            for (long tid : LinuxAffinity.threadsOf(pid)) {
                LinuxAffinity.pin(tid, plan.server());
            }
        }
    }

    /** Each server or client thread (and server process thread) whose allowed CPUs are not within its role's set. */
    public List<String> misplaced() {
        List<String> misplaced = new ArrayList<>();
        if (!plan.pins()) {
            return misplaced;
        }
        for (Map.Entry<Thread, Long> thread : javaThreads(NativeThreadIds.ofThisJvm()).entrySet()) {
            Role role = roleOf(thread.getKey());
            if (role != Role.OTHER) {
                LinuxAffinity.allowed(SELF, thread.getValue()).filter(allowed -> !cpus(role).containsAll(allowed))
                        .ifPresent(allowed -> misplaced.add(role.label() + " thread '" + thread.getKey().getName()
                                + "' (tid " + thread.getValue() + ") may run on CPUs " + allowed + ", outside its "
                                + cpus(role)));
            }
        }
        for (long pid : serverProcesses()) {
            for (long tid : LinuxAffinity.threadsOf(pid)) {
                LinuxAffinity.allowed(pid, tid).filter(allowed -> !plan.server().containsAll(allowed))
                        .ifPresent(allowed -> misplaced.add("server process " + pid + " thread " + tid + " may run on"
                                + " CPUs " + allowed + ", outside its " + plan.server()));
            }
        }
        return misplaced;
    }

    /**
     * What each role ran on, read back from {@code /proc}: {@code placement=shared (client 0, server 0, other 1);
     * as run: server 2 threads on 0; client 1 thread on 0; other 21 threads on 1}.
     */
    public String describe() {
        Map<Role, Map<String, Integer>> counts = new EnumMap<>(Role.class);
        Map<Long, Role> roles = rolesByTid();
        for (long tid : LinuxAffinity.threadsOf(SELF)) {
            Role role = roles.getOrDefault(tid, Role.OTHER);
            LinuxAffinity.allowed(SELF, tid).ifPresent(allowed -> count(counts, role, allowed.toString()));
        }
        for (long pid : serverProcesses()) {
            for (long tid : LinuxAffinity.threadsOf(pid)) {
                LinuxAffinity.allowed(pid, tid).ifPresent(allowed -> count(counts, Role.SERVER, allowed.toString()));
            }
        }
        StringJoiner asRun = new StringJoiner("; ");
        for (Role role : Role.values()) {
            StringJoiner sets = new StringJoiner(", ");
            counts.getOrDefault(role, Map.of()).forEach((cpus, n) -> sets.add(n + (n == 1 ? " thread" : " threads")
                    + " on " + cpus));
            asRun.add(role.label() + " " + (sets.length() == 0 ? "no threads" : sets.toString()));
        }
        String planned = plan.pins() ? " (" + plan.describe() + ")" : " (not pinned)";
        return Placement.PARAM + "=" + plan.placement() + planned + "; as run: " + asRun;
    }

    private static void count(Map<Role, Map<String, Integer>> counts, Role role, String cpus) {
        counts.computeIfAbsent(role, r -> new TreeMap<>()).merge(cpus, 1, Integer::sum);
    }

    private Role roleOf(Thread thread) {
        if (isServerThread.test(thread)) {
            return Role.SERVER;
        }
        return isClientThread.test(thread) ? Role.CLIENT : Role.OTHER;
    }

    private CpuSet cpus(Role role) {
        return switch (role) {
            case SERVER -> plan.server();
            case CLIENT -> plan.client();
            case OTHER -> plan.other();
        };
    }

    private Map<Long, Role> rolesByTid() {
        Map<Long, Role> roles = new HashMap<>();
        javaThreads(NativeThreadIds.ofThisJvm()).forEach((thread, tid) -> roles.put(tid, roleOf(thread)));
        return roles;
    }

    /** Each live Java platform thread with its Linux id. */
    private static Map<Thread, Long> javaThreads(NativeThreadIds dump) {
        Map<Long, Long> tids = dump.javaThreads();
        Map<Thread, Long> threads = new LinkedHashMap<>();
        for (Thread thread : liveThreads()) {
            Long tid = tids.get(thread.getId());
            if (tid != null) {
                threads.put(thread, tid);
            }
        }
        return threads;
    }

    private static Thread[] liveThreads() {
        ThreadGroup root = Thread.currentThread().getThreadGroup();
        while (root.getParent() != null) {
            root = root.getParent();
        }
        Thread[] buffer = new Thread[root.activeCount() + 64];
        return java.util.Arrays.copyOf(buffer, root.enumerate(buffer, true));
    }

    /** The server's process and its descendants, when it runs outside this JVM; never this JVM or its own children. */
    private List<Long> serverProcesses() {
        OptionalLong root = serverProcess.get();
        List<Long> pids = new ArrayList<>();
        if (root.isEmpty() || root.getAsLong() == SELF) {
            return pids;
        }
        ProcessHandle.of(root.getAsLong()).ifPresent(process -> {
            pids.add(process.pid());
            process.descendants().filter(p -> p.pid() != SELF).forEach(p -> pids.add(p.pid()));
        });
        return pids;
    }
}
