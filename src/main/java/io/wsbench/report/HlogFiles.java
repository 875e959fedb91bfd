package io.wsbench.report;

import io.wsbench.results.HlogNames;

import io.wsbench.report.Charts.PercentilePoint;
import io.wsbench.results.JmhResultFile.Result;
import org.HdrHistogram.AbstractHistogram;
import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;
import org.HdrHistogram.HistogramLogReader;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * HdrHistogram interval logs ({@code .hlog}, written by {@code HistogramLogWriter}): reading them,
 * adding histograms, and finding which JMH result a log belongs to.
 *
 * <p>HdrHistogram histograms add exactly: the sum of two histograms has, at every value, the sum of
 * their counts, so adding the intervals of one log (one per measurement iteration) or the logs of
 * several client hosts gives the same histogram as recording every latency into one.
 */
final class HlogFiles {

    /** The unit the values in a log were recorded in. */
    enum ValueUnit {
        ns(1e-3), us(1.0), ms(1e3);

        final double micros;

        ValueUnit(double micros) {
            this.micros = micros;
        }

        static ValueUnit parse(String text) {
            try {
                return valueOf(text);
            } catch (IllegalArgumentException e) {
                throw new ReportInputException("hlog unit '" + text + "' is not one of ns, us, ms");
            }
        }
    }

    /** Everything one log recorded: the sum of its interval histograms and the time they span. */
    record LogSum(Path file, Histogram histogram, int intervals, long startMillis, long endMillis) {
    }

    private HlogFiles() {
    }

    /** Whether {@code file} holds at least one interval histogram (a readable log); false for an empty one. */
    static boolean hasIntervals(Path file) {
        try (HistogramLogReader reader = new HistogramLogReader(file.toFile())) {
            return reader.nextIntervalHistogram() != null;
        } catch (FileNotFoundException e) {
            throw new ReportInputException(file + ": no such file; pass the .hlog files the load benchmark wrote", e);
        } catch (RuntimeException e) {
            return true; // not a log at all: read() says so, naming the file
        }
    }

    /**
     * Adds up every interval histogram of {@code file}.
     *
     * @throws ReportInputException if the file is missing, unreadable, or holds no integer-valued histogram
     */
    static LogSum read(Path file) {
        List<AbstractHistogram> intervals = new ArrayList<>();
        try (HistogramLogReader reader = new HistogramLogReader(file.toFile())) {
            EncodableHistogram interval;
            while ((interval = reader.nextIntervalHistogram()) != null) {
                if (!(interval instanceof AbstractHistogram histogram)) {
                    throw new ReportInputException(file + ": holds " + interval.getClass().getSimpleName()
                            + " intervals; only integer histograms (Histogram, as the profiler writes) can be added exactly");
                }
                intervals.add(histogram);
            }
        } catch (FileNotFoundException e) {
            throw new ReportInputException(file + ": no such file; pass the .hlog files the load benchmark wrote", e);
        } catch (ReportInputException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new ReportInputException(file + ": not a HdrHistogram log (" + e + "); pass a .hlog written by HistogramLogWriter", e);
        }
        if (intervals.isEmpty()) {
            throw new ReportInputException(file + ": no interval histograms; pass a .hlog written by HistogramLogWriter "
                    + "(one histogram line per measurement iteration)");
        }
        Histogram sum = add(intervals);
        long start = intervals.stream().mapToLong(AbstractHistogram::getStartTimeStamp).min().orElseThrow();
        long end = intervals.stream().mapToLong(AbstractHistogram::getEndTimeStamp).max().orElseThrow();
        return new LogSum(file, sum, intervals.size(), start, end);
    }

    /** The exact sum, at the finest precision among the inputs; it grows to hold the largest value. */
    static Histogram add(List<? extends AbstractHistogram> histograms) {
        int digits = histograms.stream().mapToInt(AbstractHistogram::getNumberOfSignificantValueDigits).max().orElse(3);
        Histogram sum = new Histogram(digits);
        histograms.forEach(sum::add);
        return sum;
    }

    /** The files named, with each directory replaced by the {@code .hlog} files under it, sorted. */
    static List<Path> expand(List<Path> filesOrDirectories) {
        List<Path> files = new ArrayList<>();
        for (Path path : filesOrDirectories) {
            if (Files.isDirectory(path)) {
                try (Stream<Path> walk = Files.walk(path)) {
                    List<Path> logs = walk.filter(p -> p.getFileName().toString().endsWith(HlogNames.EXTENSION)).sorted().toList();
                    if (logs.isEmpty()) {
                        throw new ReportInputException(path + ": no .hlog files in this directory; pass the directory "
                                + "the load benchmark wrote its interval logs to (e.g. target/hlog)");
                    }
                    files.addAll(logs);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot list " + path + ": " + e.getMessage(), e);
                }
            } else if (Files.isRegularFile(path)) {
                files.add(path);
            } else {
                throw new ReportInputException(path + ": no such file or directory; pass .hlog files or their directory");
            }
        }
        return files;
    }

    /**
     * Which logs belong to which result, by file name. A log belongs to a result when its name gives
     * every parameter that varies between the results (as {@code name=value}, {@code name-value} or
     * {@code name_value}) and gives no parameter a different value. Several logs of one result (forks,
     * client hosts) are all returned for it. A log that fits no result or several is left out, with a
     * warning, rather than guessed.
     */
    static Map<Result, List<Path>> match(List<Path> logs, List<Result> results, List<String> warnings) {
        Set<String> varying = varyingParams(results);
        Map<Result, List<Path>> byResult = new LinkedHashMap<>();
        for (Path log : logs) {
            String name = log.getFileName().toString();
            List<Result> fits = results.stream().filter(r -> HlogNames.fits(name, r.params(), varying)).toList();
            if (fits.size() == 1) {
                byResult.computeIfAbsent(fits.get(0), r -> new ArrayList<>()).add(log);
            } else if (fits.isEmpty()) {
                warnings.add(log + ": its name matches no result (it needs " + String.join(", ", varying.stream()
                        .map(p -> p + "=…").toList()) + "); ignored");
            } else {
                warnings.add(log + ": its name matches " + fits.size() + " results ("
                        + fits.stream().map(Result::paramsText).collect(Collectors.joining("; "))
                        + "); ignored, name the log with every parameter");
            }
        }
        return byResult;
    }

    /** Percentile points of {@code histogram} in µs, five per halving of the remaining tail, as HdrHistogram prints them. */
    static List<PercentilePoint> percentilePoints(Histogram histogram, ValueUnit unit) {
        List<PercentilePoint> points = new ArrayList<>();
        for (HistogramIterationValue v : histogram.percentiles(5)) {
            points.add(new PercentilePoint(v.getPercentileLevelIteratedTo(), v.getValueIteratedTo() * unit.micros));
        }
        return points;
    }

    private static Set<String> varyingParams(List<Result> results) {
        Set<String> names = new TreeSet<>();
        results.forEach(r -> names.addAll(r.params().keySet()));
        names.removeIf(n -> results.stream().map(r -> r.params().get(n)).distinct().count() < 2);
        return names;
    }
}
