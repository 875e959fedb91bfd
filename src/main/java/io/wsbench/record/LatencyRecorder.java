package io.wsbench.record;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.SingleWriterRecorder;

/**
 * Latencies in <b>microseconds</b>, recorded without locks by several threads and read as one merged
 * histogram per interval (a measurement iteration).
 *
 * <p>Every recording thread (a client event loop) gets its own {@link Writer}, an HdrHistogram {@link
 * SingleWriterRecorder}, so recording is a few array writes with no contention; {@link
 * #intervalHistogram} takes each writer's interval histogram ({@code getIntervalHistogram}, which also
 * starts the next interval) and adds them up. Range 1 µs to 60 s at 3 significant digits: every value
 * is kept to within 0.1 %. A latency above 60 s is recorded as 60 s (the client's echo timeout fails a
 * run long before that).
 */
public final class LatencyRecorder {
    public static final long LOWEST_MICROS = 1;
    public static final long HIGHEST_MICROS = TimeUnit.SECONDS.toMicros(60);
    public static final int SIGNIFICANT_DIGITS = 3;

    private final List<Writer> writers = new CopyOnWriteArrayList<>();

    /** An empty histogram with the recorder's range and precision. */
    public static Histogram newHistogram() {
        return new Histogram(LOWEST_MICROS, HIGHEST_MICROS, SIGNIFICANT_DIGITS);
    }

    /** A writer for one thread; only that thread may record into it. */
    public Writer newWriter() {
        Writer writer = new Writer();
        writers.add(writer);
        return writer;
    }

    /**
     * Everything recorded since the previous call (or {@link #reset}), all writers merged, stamped
     * with the interval's start and end (epoch milliseconds) for the histogram log.
     */
    public synchronized Histogram intervalHistogram(long startEpochMillis, long endEpochMillis) {
        Histogram merged = newHistogram();
        for (Writer writer : writers) {
            writer.recycled = writer.recorder.getIntervalHistogram(writer.recycled);
            merged.add(writer.recycled);
        }
        merged.setStartTimeStamp(startEpochMillis);
        merged.setEndTimeStamp(endEpochMillis);
        return merged;
    }

    /** Forgets everything recorded so far, e.g. before a new iteration. */
    public synchronized void reset() {
        for (Writer writer : writers) {
            writer.recorder.reset();
        }
    }

    /** Records the latencies of one thread. */
    public static final class Writer {
        private final SingleWriterRecorder recorder = new SingleWriterRecorder(LOWEST_MICROS, HIGHEST_MICROS, SIGNIFICANT_DIGITS);
        /** The histogram handed back to the recorder at the next interval, so reading allocates nothing. */
        private Histogram recycled;

        private Writer() {
        }

        /** Records a latency given in nanoseconds, rounded to the nearest microsecond. */
        public void recordNanos(long nanos) {
            recorder.recordValue(Math.min(HIGHEST_MICROS, (nanos + 500) / 1000));
        }
    }
}
