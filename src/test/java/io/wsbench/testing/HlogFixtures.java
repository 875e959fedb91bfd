package io.wsbench.testing;

import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;
import org.HdrHistogram.HistogramLogWriter;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

/** Latency streams and the HdrHistogram interval logs the load benchmark's profiler writes of them. */
public final class HlogFixtures {

    /** 2024-05-01T10:00:00Z, when a client host started logging. */
    public static final long START_MILLIS = 1_714_557_600_000L;

    private HlogFixtures() {
    }

    /** {@code intervals} arrays of {@code perInterval} latencies in µs: log-normal around {@code median} with rare long stalls. */
    public static long[][] latencies(int intervals, int perInterval, double median, long seed) {
        Random random = new Random(seed);
        long[][] values = new long[intervals][perInterval];
        for (long[] interval : values) {
            for (int i = 0; i < perInterval; i++) {
                double stall = random.nextDouble() < 0.001 ? 50 : 1;
                interval[i] = Math.max(1, Math.round(median * stall * Math.exp(0.4 * random.nextGaussian())));
            }
        }
        return values;
    }

    /** Writes one interval histogram per array, one second each, as the load benchmark's profiler does. */
    public static Path writeLog(Path file, long[][] intervals, long startMillis) throws IOException {
        try (PrintStream out = new PrintStream(Files.newOutputStream(file), false, StandardCharsets.UTF_8)) {
            HistogramLogWriter writer = new HistogramLogWriter(out);
            writer.outputLogFormatVersion();
            writer.outputStartTime(startMillis);
            writer.setBaseTime(startMillis);
            writer.outputLegend();
            for (int i = 0; i < intervals.length; i++) {
                Histogram h = recordAll(intervals[i]);
                h.setStartTimeStamp(startMillis + i * 1_000L);
                h.setEndTimeStamp(startMillis + (i + 1) * 1_000L);
                writer.outputIntervalHistogram(h);
            }
        }
        return file;
    }

    /** One histogram, 3 significant digits as the profiler records, holding every value of every array. */
    public static Histogram recordAll(long[]... streams) {
        Histogram h = new Histogram(3);
        for (long[] stream : streams) {
            for (long value : stream) {
                h.recordValue(value);
            }
        }
        return h;
    }

    /** Every interval of every log added up, as a benchmark's logs are meant to be read: one merged distribution. */
    public static Histogram mergeLogs(List<Path> logs) throws IOException {
        Histogram merged = new Histogram(3);
        for (Path log : logs) {
            try (HistogramLogReader reader = new HistogramLogReader(log.toFile())) {
                for (EncodableHistogram h; (h = reader.nextIntervalHistogram()) != null; ) {
                    merged.add((Histogram) h);
                }
            }
        }
        return merged;
    }
}
