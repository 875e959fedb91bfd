package io.wsbench.jmh;

import java.io.PrintStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.openjdk.jmh.runner.BenchmarkList;
import org.openjdk.jmh.runner.BenchmarkListEntry;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * The jar's main class: JMH's own {@code Main} with every JMH option as it is, plus {@link EchoMetricsProfiler} when
 * the run selects a benchmark with a client and a server (round trip, load, broadcast, idle) and no {@code -prof}
 * names it already. Without the profiler those benchmarks write no latency percentiles, CPU or memory into the JSON,
 * and a user of plain {@code java -jar target/benchmarks.jar EchoLoadBenchmark} could not guess it was needed. It is
 * listed first, before a {@code -prof gc} (see its class comment). {@code java -Dwsbench.metricsProfiler=false -jar
 * ...} leaves it out.
 */
public final class WsbenchMain {
    /** The host JVM's switch to run without the metrics profiler. */
    public static final String PROFILER_PROPERTY = "wsbench.metricsProfiler";
    /** The benchmarks that start a server through {@link MeasuredServer}, by their packages. */
    private static final Pattern MEASURED = Pattern.compile("io\\.wsbench\\.(roundtrip|load|broadcast|idle)\\..*");

    private WsbenchMain() {
    }

    public static void main(String[] args) throws Exception {
        org.openjdk.jmh.Main.main(withMetricsProfiler(args, BenchmarkList.defaultList()));
    }

    /** {@code args} with {@code -prof EchoMetricsProfiler} in front when the run needs it; otherwise as they are. */
    static String[] withMetricsProfiler(String[] args, BenchmarkList benchmarks) {
        if (!Boolean.parseBoolean(System.getProperty(PROFILER_PROPERTY, "true"))) {
            return args;
        }
        CommandLineOptions options;
        try {
            options = new CommandLineOptions(args);
        } catch (CommandLineOptionException e) {
            return args; // JMH's Main says what is wrong with them
        }
        if (options.shouldHelp() || options.shouldList() || options.shouldListWithParams()
                || options.shouldListProfilers() || options.shouldListResultFormats()
                || options.getProfilers().stream().anyMatch(p -> p.getKlass().equals(EchoMetricsProfiler.class.getName()))
                || !selectsMeasuredBenchmark(options, benchmarks)) {
            return args;
        }
        List<String> extended = new ArrayList<>(List.of("-prof", EchoMetricsProfiler.class.getName()));
        extended.addAll(List.of(args));
        return extended.toArray(String[]::new);
    }

    private static boolean selectsMeasuredBenchmark(CommandLineOptions options, BenchmarkList benchmarks) {
        List<String> includes = options.getIncludes().isEmpty() ? List.of(".*") : options.getIncludes();
        PrintStream silent = new PrintStream(OutputStream.nullOutputStream());
        for (BenchmarkListEntry entry : benchmarks.find(OutputFormatFactory.createFormatInstance(silent, VerboseMode.SILENT),
                includes, options.getExcludes())) {
            if (MEASURED.matcher(entry.getUsername()).matches()) {
                return true;
            }
        }
        return false;
    }
}
