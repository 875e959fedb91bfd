package io.wsbench.servers.python;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Stopping a child process together with every process it started. */
final class ProcessTree {
    private static final long POLL_MILLIS = 10;

    private ProcessTree() {
    }

    /**
     * SIGTERM to {@code root} and all its descendants (listed before any signal, so none is lost to
     * re-parenting), up to {@code grace} for them to exit, then SIGKILL to whatever is left (and to any
     * descendant started meanwhile), and up to {@code grace} again.
     *
     * @return the processes still alive after all that: empty when the tree is gone
     */
    static List<ProcessHandle> stop(ProcessHandle root, Duration grace) {
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
