package io.wsbench.record;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;

/**
 * An HdrHistogram interval log (the format {@code HistogramLogProcessor} and HdrHistogram's plotters
 * read): a comment saying what was measured, start and base time, then one line per interval
 * histogram. Latencies are in microseconds, so read it with {@code HistogramLogProcessor
 * -outputValueUnitRatio 1000} to get milliseconds; the "max" column of each line is in milliseconds.
 */
public final class HistogramLog implements Closeable {
    private static final int MAX_NUMBERED_FILES = 10_000;
    private static final double MAX_COLUMN_MICROS_PER_MILLI = 1000.0;

    private final Path path;
    private final HistogramLogWriter writer;
    private final long baseEpochMillis;

    private HistogramLog(Path path, HistogramLogWriter writer, long baseEpochMillis) {
        this.path = path;
        this.writer = writer;
        this.baseEpochMillis = baseEpochMillis;
    }

    /**
     * Creates {@code dir/<prefix>N.hlog} with the first N (from 1) not taken yet, so runs that share a
     * name (the forks of one benchmark) each get their own file, numbered in the order they ran.
     *
     * @param comment what was measured (benchmark, parameters, units); one line
     * @param startEpochMillis the log's start and base time: interval times are seconds after it
     */
    public static HistogramLog create(Path dir, String prefix, String comment, long startEpochMillis) throws IOException {
        Files.createDirectories(dir);
        for (int n = 1; n <= MAX_NUMBERED_FILES; n++) {
            Path candidate = dir.resolve(prefix + n + ".hlog");
            if (!Files.exists(candidate)) {
                HistogramLogWriter writer = new HistogramLogWriter(candidate.toFile());
                writer.outputLogFormatVersion();
                writer.outputComment(comment.replaceAll("[\\r\\n]+", " "));
                writer.outputStartTime(startEpochMillis);
                writer.setBaseTime(startEpochMillis);
                writer.outputBaseTime(startEpochMillis);
                writer.outputLegend();
                return new HistogramLog(candidate, writer, startEpochMillis);
            }
        }
        throw new IOException(dir + " already holds " + MAX_NUMBERED_FILES + " logs named " + prefix
                + "N.hlog; move old logs away or point the log directory elsewhere");
    }

    public Path path() {
        return path;
    }

    /** Appends one interval, placed in time by the histogram's start and end timestamps (epoch ms). */
    public void write(Histogram interval) {
        double startSeconds = (interval.getStartTimeStamp() - baseEpochMillis) / 1000.0;
        double endSeconds = (interval.getEndTimeStamp() - baseEpochMillis) / 1000.0;
        writer.outputIntervalHistogram(startSeconds, endSeconds, interval, MAX_COLUMN_MICROS_PER_MILLI);
    }

    @Override
    public void close() {
        writer.close();
    }
}
