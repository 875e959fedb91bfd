package io.wsbench.report;

import io.wsbench.results.JmhResultFile;

import java.util.stream.Collectors;

/** The report was given input it cannot use; the message names the file, the cause and the fix. */
public class ReportInputException extends RuntimeException {

    /** Exit status of the report's commands on bad input, as for the gate. */
    public static final int EXIT_STATUS = 2;

    public ReportInputException(String message) {
        super(message);
    }

    public ReportInputException(String message, Throwable cause) {
        super(message, cause);
    }

    /** {@code file} has no result of {@code benchmarkClass}; says what it has instead. */
    static ReportInputException noResults(JmhResultFile file, String benchmarkClass, String fix) {
        return new ReportInputException(file.source() + ": no " + benchmarkClass + " results (found "
                + describeBenchmarks(file) + "); " + fix);
    }

    /** A score unit the report cannot convert (see {@link Units}). */
    static ReportInputException unknownUnit(JmhResultFile file, IllegalArgumentException e) {
        return new ReportInputException(file.source() + ": " + e.getMessage()
                + "; rerun without -tu, or with a time unit such as us", e);
    }

    /** {@code 3 results: EchoRoundTripBenchmark.throughput, NettyFrameCodecBenchmark.decode}. */
    static String describeBenchmarks(JmhResultFile file) {
        if (file.results().isEmpty()) {
            return "no results";
        }
        return file.results().size() + " results: " + file.results().stream().map(JmhResultFile.Result::shortName)
                .distinct().limit(5).collect(Collectors.joining(", "));
    }
}
