package io.wsbench.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.wsbench.client.OpenLoopSchedule;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/** Known latency sequences give known percentiles, merged over writers, one interval at a time. */
class LatencyRecorderTest {
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long US = TimeUnit.MICROSECONDS.toNanos(1);

    @Test
    void mergesWritersIntoOneHistogramInMicroseconds() {
        LatencyRecorder recorder = new LatencyRecorder();
        LatencyRecorder.Writer odd = recorder.newWriter();
        LatencyRecorder.Writer even = recorder.newWriter();
        for (int micros = 1; micros <= 1000; micros++) {
            (micros % 2 == 0 ? even : odd).recordNanos(micros * US);
        }

        Histogram h = recorder.intervalHistogram(1_000, 3_000);

        assertThat(h.getTotalCount()).isEqualTo(1000);
        assertThat(h.getValueAtPercentile(50)).isEqualTo(500);
        assertThat(h.getValueAtPercentile(90)).isEqualTo(900);
        assertThat(h.getValueAtPercentile(99)).isEqualTo(990);
        assertThat(h.getMaxValue()).isEqualTo(1000);
        assertThat(h.getStartTimeStamp()).isEqualTo(1_000);
        assertThat(h.getEndTimeStamp()).isEqualTo(3_000);
    }

    @Test
    void eachIntervalHoldsOnlyWhatWasRecordedSinceThePreviousOne() {
        LatencyRecorder recorder = new LatencyRecorder();
        LatencyRecorder.Writer writer = recorder.newWriter();
        writer.recordNanos(5 * MS);
        assertThat(recorder.intervalHistogram(0, 1).getTotalCount()).isEqualTo(1);

        writer.recordNanos(7 * MS);
        writer.recordNanos(7 * MS);
        Histogram second = recorder.intervalHistogram(1, 2);
        assertThat(second.getTotalCount()).isEqualTo(2);
        assertThat(second.getMaxValue()).isCloseTo(7000, within(7L));

        writer.recordNanos(9 * MS);
        recorder.reset();
        assertThat(recorder.intervalHistogram(2, 3).getTotalCount()).as("reset discards, e.g. a warmup").isZero();
    }

    @Test
    void roundsToMicrosecondsAndCapsAtTheHighestTrackableValue() {
        LatencyRecorder recorder = new LatencyRecorder();
        LatencyRecorder.Writer writer = recorder.newWriter();
        writer.recordNanos(1_499);
        writer.recordNanos(1_500);
        writer.recordNanos(TimeUnit.MINUTES.toNanos(5));

        Histogram h = recorder.intervalHistogram(0, 0);
        assertThat(h.getMinValue()).isEqualTo(1);
        assertThat(h.getValueAtPercentile(60)).isEqualTo(2);
        assertThat(h.getMaxValue()).isEqualTo(h.highestEquivalentValue(LatencyRecorder.HIGHEST_MICROS));
    }

    /**
     * The textbook coordinated-omission case: a client with a schedule of one message per millisecond
     * that can only send once the previous echo is back, and a server that stalls 100 ms on message 500.
     * Measured from the scheduled time, the stall costs every message queued behind it; measured from the
     * actual send, it looks like a single slow message.
     */
    @Test
    void latencyFromTheScheduledTimeIncludesTheBacklogOfAStall() {
        OpenLoopSchedule schedule = new OpenLoopSchedule(1000, 1);
        LatencyRecorder fromSchedule = new LatencyRecorder();
        LatencyRecorder fromSend = new LatencyRecorder();
        LatencyRecorder.Writer scheduled = fromSchedule.newWriter();
        LatencyRecorder.Writer sent = fromSend.newWriter();
        long start = 0;
        long previousEcho = start;
        for (int k = 0; k < 1000; k++) {
            long due = schedule.dueNanos(start, 0, k);
            long sendTime = Math.max(due, previousEcho);
            long echo = sendTime + (k == 500 ? 100 * MS : 100 * US);
            scheduled.recordNanos(echo - due);
            sent.recordNanos(echo - sendTime);
            previousEcho = echo;
        }
        Histogram corrected = fromSchedule.intervalHistogram(0, 1000);
        Histogram naive = fromSend.intervalHistogram(0, 1000);

        // Message 500 comes back at 600 ms; messages 501..610 queue behind it: message k takes 550 - 0.9 k ms,
        // from 100 ms down to 1 ms. The other 889 take 0.1 ms, so p90 is the 11th smallest backlog value
        // (10.0 ms) and p99 the 101st (91.0 ms).
        assertThat(corrected.getTotalCount()).isEqualTo(1000);
        assertThat(corrected.getValueAtPercentile(50)).isEqualTo(100);
        assertThat(corrected.getValueAtPercentile(90)).isCloseTo(10_000, within(10L));
        assertThat(corrected.getValueAtPercentile(99)).isCloseTo(91_000, within(91L));
        assertThat(corrected.getMaxValue()).isCloseTo(100_000, within(100L));
        assertThat(naive.getValueAtPercentile(99)).as("coordinated omission hides the stall").isEqualTo(100);
        assertThat(naive.getMaxValue()).isCloseTo(100_000, within(100L));
    }
}
