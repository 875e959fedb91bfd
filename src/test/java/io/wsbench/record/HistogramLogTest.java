package io.wsbench.record;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogProcessor;
import org.HdrHistogram.HistogramLogReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The logs we write are what HdrHistogram's own reader and log processor expect. */
class HistogramLogTest {
    private static final long START_MILLIS = 1_700_000_000_000L;

    @TempDir
    Path dir;

    @Test
    void writesOneIntervalPerIterationThatHdrHistogramReadsBack() throws IOException {
        Path file;
        try (HistogramLog log = HistogramLog.create(dir, "bench-server=netty-fork", "bench server=netty | us", START_MILLIS)) {
            file = log.path();
            log.write(interval(1_000, 3_000, 100, 200));
            log.write(interval(3_500, 5_500, 300));
        }
        assertThat(file.getFileName()).hasToString("bench-server=netty-fork1.hlog");
        assertThat(Files.readString(file)).contains("#bench server=netty | us");

        try (HistogramLogReader reader = new HistogramLogReader(file.toFile())) {
            Histogram first = (Histogram) reader.nextIntervalHistogram();
            Histogram second = (Histogram) reader.nextIntervalHistogram();
            assertThat(reader.nextIntervalHistogram()).isNull();
            assertThat(reader.getStartTimeSec()).isEqualTo(START_MILLIS / 1000.0);
            assertThat(first.getTotalCount()).isEqualTo(2);
            assertThat(first.getStartTimeStamp()).isEqualTo(START_MILLIS + 1_000);
            assertThat(second.getTotalCount()).isEqualTo(1);
            assertThat(second.getMaxValue()).isEqualTo(300);
        }
    }

    @Test
    void histogramLogProcessorSummarisesTheLog() throws IOException {
        Path file;
        try (HistogramLog log = HistogramLog.create(dir, "run-", "run", START_MILLIS)) {
            file = log.path();
            log.write(interval(0, 1_000, 1_000, 2_000, 3_000));
        }
        Path out = dir.resolve("summary");

        new HistogramLogProcessor(new String[] {"-i", file.toString(), "-o", out.toString(), "-outputValueUnitRatio", "1000"}).run();

        String distribution = Files.readString(dir.resolve("summary.hgrm"));
        assertThat(distribution).contains("Total count    =            3").containsPattern("Max\\s+=\\s+3\\.00");
    }

    @Test
    void forksSharingANameGetNumberedFiles() throws IOException {
        try (HistogramLog first = HistogramLog.create(dir, "same-fork", "a", START_MILLIS);
                HistogramLog second = HistogramLog.create(dir, "same-fork", "b", START_MILLIS)) {
            assertThat(first.path().getFileName()).hasToString("same-fork1.hlog");
            assertThat(second.path().getFileName()).hasToString("same-fork2.hlog");
        }
    }

    private static Histogram interval(long startOffsetMillis, long endOffsetMillis, long... micros) {
        Histogram h = LatencyRecorder.newHistogram();
        for (long value : micros) {
            h.recordValue(value);
        }
        h.setStartTimeStamp(START_MILLIS + startOffsetMillis);
        h.setEndTimeStamp(START_MILLIS + endOffsetMillis);
        return h;
    }
}
