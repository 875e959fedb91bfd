package io.wsbench.server;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Stopping a child process together with every process it started, and killing the children still running when this
 * JVM ends without stopping them (one shutdown hook for every kind of child server).
 */
public final class ProcessTree {
    private static final long POLL_MILLIS = 10;

    /** Every child still running, for the JVM's shutdown hook. */
    private static final Set<ProcessHandle> RUNNING = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(ProcessTree::kill), "wsbench-child-reaper"));
    }

    private ProcessTree() {
    }

    /**
     * SIGTERM to {@code root} and all its descendants (listed before any signal, so none is lost to
     * re-parenting), up to {@code grace} for them to exit, then SIGKILL to whatever is left (and to any
     * descendant started meanwhile), and up to {@code grace} again.
     *
     * @return the processes still alive after all that: empty when the tree is gone
     */
    public static List<ProcessHandle> stop(ProcessHandle root, Duration grace) {
        Set<ProcessHandle> tree = new LinkedHashSet<>();
        tree.add(root);
        root.descendants().forEach(tree::add);
        tree.forEach(ProcessHandle::destroy);
        List<ProcessHandle> alive = awaitExit(tree, grace);
        if (alive.isEmpty()) {
            return alive;
        }
        Set<ProcessHandle> left = new LinkedHashSet<>(alive);
        for (ProcessHandle p : alive) {
            p.descendants().forEach(left::add);
        }
        left.forEach(ProcessHandle::destroyForcibly);
        return awaitExit(left, grace);
    }

    /** Kills {@code root} and its descendants when this JVM shuts down, unless {@link #stopped} is called first. */
    public static void killAtExit(ProcessHandle root) {
        RUNNING.add(root);
    }

    /** {@code root} is gone: the shutdown hook need not kill it. */
    public static void stopped(ProcessHandle root) {
        RUNNING.remove(root);
    }

    /** SIGKILL to the whole tree at once, without waiting: for a JVM that is shutting down. */
    static void kill(ProcessHandle root) {
        List<ProcessHandle> tree = new ArrayList<>();
        tree.add(root);
        root.descendants().forEach(tree::add);
        tree.forEach(ProcessHandle::destroyForcibly);
    }

    private static List<ProcessHandle> awaitExit(Set<ProcessHandle> processes, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<ProcessHandle> alive = processes.stream().filter(ProcessHandle::isAlive).toList();
        while (!alive.isEmpty() && System.nanoTime() - deadline < 0) {
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return alive;
            }
            alive = alive.stream().filter(ProcessHandle::isAlive).toList();
        }
        return alive;
    }
}
