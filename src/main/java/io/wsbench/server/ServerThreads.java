package io.wsbench.server;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * The threads of one embedded server, kept in their own thread group so that {@code close()} can wait for
 * every one of them, including threads a library starts from its own threads and never hands out (Grizzly's
 * HTTP timer, Tyrus's idle-timeout scheduler).
 *
 * <p>A thread created without an explicit group joins its creator's group, so a library started from a thread
 * of this group, or given the group for its pools, keeps all its threads here. On Java 17 the emptied group
 * object stays referenced by its parent (destroying it is deprecated for removal): a few hundred bytes per start.
 */
public final class ServerThreads {

    /** Longest a server may take to start or to let its threads end; generous for a loaded 2-core machine. */
    public static final Duration TIMEOUT = Duration.ofSeconds(30);

    /** What a server does to stop; its failure is reported together with any thread left running. */
    @FunctionalInterface
    public interface StopAction {
        void stop() throws Exception;
    }

    private final String serverName;
    private final ThreadGroup group;

    public ServerThreads(String serverName) {
        this.serverName = serverName;
        this.group = new ThreadGroup(serverName + "-server");
    }

    public ThreadGroup group() {
        return group;
    }

    /** Whether {@code thread} runs in this server's group or a group below it. */
    public boolean contains(Thread thread) {
        ThreadGroup g = thread.getThreadGroup();
        return g != null && (g == group || group.parentOf(g));
    }

    /** Threads of this group alive now. */
    public int liveCount() {
        return aliveThreads().size();
    }

    /** Threads of this group alive now that {@code which} accepts, e.g. by the name a library gives them. */
    public int liveCount(Predicate<Thread> which) {
        return (int) aliveThreads().stream().filter(which).count();
    }

    /** Runs {@code task} on a new thread of this group and waits up to {@link #TIMEOUT} for its result. */
    public <T> T callInGroup(String threadName, Callable<T> task) throws Exception {
        FutureTask<T> future = new FutureTask<>(task);
        Thread thread = new Thread(group, future, threadName);
        thread.setDaemon(true);
        thread.start();
        try {
            return future.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw e;
        } catch (TimeoutException e) {
            thread.interrupt();
            throw new TimeoutException(threadName + " did not finish within " + TIMEOUT.toSeconds()
                    + " s; the machine may be overloaded, retry when it is quieter");
        }
    }

    /**
     * Stops the server, then waits up to {@link #TIMEOUT} for every thread of the group to end.
     *
     * @throws IllegalStateException if stopping failed or threads are still running, naming them
     */
    public void stopAndJoin(StopAction stopAction) {
        stopAndJoin(stopAction, thread -> false);
    }

    /**
     * As {@link #stopAndJoin(StopAction)}, without waiting for the threads {@code leftRunningByLibrary} matches:
     * threads a library is known to leave running after it stopped, which this server cannot end (its class comment
     * names them, and the teardown tests assert exactly those).
     */
    public void stopAndJoin(StopAction stopAction, Predicate<Thread> leftRunningByLibrary) {
        Exception stopFailure = null;
        try {
            stopAction.stop();
        } catch (Exception e) {
            stopFailure = e;
        }
        List<String> stillRunning;
        try {
            stillRunning = awaitExit(leftRunningByLibrary);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            IllegalStateException interrupted = new IllegalStateException(
                    serverName + " close() was interrupted while waiting for the server's threads to end", e);
            if (stopFailure != null) {
                interrupted.addSuppressed(stopFailure);
            }
            throw interrupted;
        }
        if (stopFailure == null && stillRunning.isEmpty()) {
            return;
        }
        String message = serverName + " did not stop cleanly:"
                + (stopFailure == null ? "" : " stopping failed (" + stopFailure + ");")
                + (stillRunning.isEmpty() ? "" : " threads still running " + TIMEOUT.toSeconds()
                        + " s after stop: " + stillRunning + " (a blocked task? see their stack traces);");
        throw new IllegalStateException(message, stopFailure);
    }

    private List<String> awaitExit(Predicate<Thread> leftRunningByLibrary) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (true) {
            List<Thread> alive = aliveThreads().stream().filter(leftRunningByLibrary.negate()).toList();
            long remainingNanos = deadline - System.nanoTime();
            if (alive.isEmpty() || remainingNanos <= 0) {
                return alive.stream().map(Thread::getName).toList();
            }
            alive.get(0).join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(remainingNanos)));
        }
    }

    private List<Thread> aliveThreads() {
        // activeCount() is an estimate; the slack and the caller's loop cover threads that appear meanwhile.
        Thread[] buffer = new Thread[group.activeCount() + 16];
        int count = group.enumerate(buffer, true);
        Thread self = Thread.currentThread();
        return Arrays.stream(buffer, 0, count).filter(t -> t.isAlive() && t != self).toList();
    }
}
