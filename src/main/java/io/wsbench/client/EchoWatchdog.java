package io.wsbench.client;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Ends a blocking round trip that waits longer than the echo timeout, by closing its socket from another thread, so
 * the round trip's own read can block without a socket timeout: a timed read costs three more system calls per echo
 * (non-blocking read, poll, and switching blocking mode back), which is a third of a loopback round trip.
 *
 * <p>One daemon thread, {@code wsbench-client-watchdog}, checks the waiting connections every {@value #CHECK_MILLIS}
 * ms while there are any, and ends when there are none.
 */
final class EchoWatchdog {
    private static final long CHECK_MILLIS = 50;
    private static final Set<BlockingEchoConnection> WATCHED = ConcurrentHashMap.newKeySet();
    private static Thread thread;

    private EchoWatchdog() {
    }

    static synchronized void watch(BlockingEchoConnection connection) {
        WATCHED.add(connection);
        if (thread == null) {
            thread = new Thread(EchoWatchdog::checkWhileWatching, "wsbench-client-watchdog");
            thread.setDaemon(true);
            thread.start();
        }
    }

    static void forget(BlockingEchoConnection connection) {
        WATCHED.remove(connection);
    }

    private static void checkWhileWatching() {
        while (keepWatching()) {
            long now = System.nanoTime();
            for (BlockingEchoConnection connection : WATCHED) {
                connection.endIfWaitingTooLong(now);
            }
            try {
                TimeUnit.MILLISECONDS.sleep(CHECK_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static synchronized boolean keepWatching() {
        if (WATCHED.isEmpty()) {
            thread = null;
            return false;
        }
        return true;
    }
}
