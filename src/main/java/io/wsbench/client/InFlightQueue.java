package io.wsbench.client;

/**
 * The messages of one connection still waiting for their echo, oldest first: for each, the time it
 * should have been sent and the time it was. A ring of primitive longs, so recording a send does
 * not allocate; it grows by doubling up to the connection's in-flight limit. Event-loop only.
 */
final class InFlightQueue {
    private long[] times = new long[2 * 16];
    private int head;
    private int size;

    void add(long intendedNanos, long sentNanos) {
        if (size * 2 == times.length) {
            grow();
        }
        int slot = ((head + size) * 2) % times.length;
        times[slot] = intendedNanos;
        times[slot + 1] = sentNanos;
        size++;
    }

    long headIntended() {
        return times[head * 2];
    }

    long headSent() {
        return times[head * 2 + 1];
    }

    void removeHead() {
        head = (head + 1) % (times.length / 2);
        size--;
    }

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    private void grow() {
        long[] bigger = new long[times.length * 2];
        int entries = times.length / 2;
        for (int i = 0; i < size; i++) {
            int from = ((head + i) % entries) * 2;
            bigger[i * 2] = times[from];
            bigger[i * 2 + 1] = times[from + 1];
        }
        times = bigger;
        head = 0;
    }
}
