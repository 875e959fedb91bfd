package io.wsbench.jmh;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.IterationType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.format.OutputFormat;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * One JMH run through the Runner API, watched the way a fault test needs: JMH's usual text output (what a user
 * sees, forked JVMs' output included) split per trial, each trial's wall-clock time, and a callback for each
 * measured iteration as the host JVM hears of it. The whole output is also written to a log file.
 */
final class WatchedJmhRun {

    /** One benchmark method at one parameter combination: its part of the output and how long it took. */
    record Trial(String benchmark, Map<String, String> params, String output, Duration duration) {

        /** True when JMH reported a failure (an exception in an iteration, or a forked JVM that crashed). */
        boolean failed() {
            return output.contains("<failure>") || output.contains("<forked VM failed");
        }
    }

    /** Hears of each measurement iteration JMH finished, with its trial's parameters. */
    @FunctionalInterface
    interface MeasuredIterationListener {
        void measured(BenchmarkParams trial, int iteration);
    }

    private final List<Trial> trials;
    private final Collection<RunResult> results;
    private final RunnerException failure;

    private WatchedJmhRun(List<Trial> trials, Collection<RunResult> results, RunnerException failure) {
        this.trials = trials;
        this.results = results;
        this.failure = failure;
    }

    /**
     * Runs {@code options} and writes JMH's text output to {@code log}. A RunnerException (JMH stopped the run, e.g.
     * {@code -foe true} after a failure) is kept in {@link #failure()} rather than thrown, so its output can be checked.
     */
    static WatchedJmhRun run(Options options, Path log, MeasuredIterationListener listener) throws IOException {
        Recorder recorder = new Recorder(listener);
        Collection<RunResult> results = List.of();
        RunnerException failure = null;
        try {
            results = new Runner(options, recorder).run();
        } catch (RunnerException e) {
            failure = e;
        } finally {
            Files.writeString(log, recorder.text());
        }
        return new WatchedJmhRun(recorder.trials(), results, failure);
    }

    static WatchedJmhRun run(Options options, Path log) throws IOException {
        return run(options, log, (trial, iteration) -> { });
    }

    /** Trials in the order JMH ran them. */
    List<Trial> trials() {
        return trials;
    }

    /** The one trial with these parameter values: {@code trial("server", "netty", "port", "8080")}. */
    Trial trial(String... nameValuePairs) {
        Map<String, String> wanted = new TreeMap<>();
        for (int i = 0; i < nameValuePairs.length; i += 2) {
            wanted.put(nameValuePairs[i], nameValuePairs[i + 1]);
        }
        List<Trial> matching = trials.stream().filter(t -> t.params().entrySet().containsAll(wanted.entrySet())).toList();
        if (matching.size() != 1) {
            throw new IllegalStateException(matching.size() + " trials have " + wanted + "; trials: "
                    + trials.stream().map(Trial::params).toList());
        }
        return matching.get(0);
    }

    /** What Runner.run returned: a result for every trial that did not fail before its first measured iteration. */
    Collection<RunResult> results() {
        return results;
    }

    /** Why JMH stopped the whole run, or null when it ran every trial. */
    RunnerException failure() {
        return failure;
    }

    static Map<String, String> params(BenchmarkParams benchmark) {
        Map<String, String> params = new TreeMap<>();
        for (String key : benchmark.getParamsKeys()) {
            params.put(key, benchmark.getParam(key));
        }
        return params;
    }

    /** JMH's text format, plus the offset and time at which each trial started. */
    private static final class Recorder implements OutputFormat {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final PrintStream stream = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        private final OutputFormat text = OutputFormatFactory.createFormatInstance(stream, VerboseMode.NORMAL);
        private final MeasuredIterationListener listener;
        private final List<BenchmarkParams> started = new ArrayList<>();
        private final List<Integer> startOffsets = new ArrayList<>();
        private final List<Long> startNanos = new ArrayList<>();
        private long endNanos;

        Recorder(MeasuredIterationListener listener) {
            this.listener = listener;
        }

        synchronized String text() {
            stream.flush();
            return bytes.toString(StandardCharsets.UTF_8);
        }

        /** The trials; the last one ends when the run ended, or now if JMH stopped it with an exception. */
        synchronized List<Trial> trials() {
            String all = text();
            byte[] raw = all.getBytes(StandardCharsets.UTF_8);
            long end = endNanos != 0 ? endNanos : System.nanoTime();
            List<Trial> trials = new ArrayList<>();
            for (int i = 0; i < started.size(); i++) {
                int from = startOffsets.get(i);
                int to = i + 1 < started.size() ? startOffsets.get(i + 1) : raw.length;
                long until = i + 1 < started.size() ? startNanos.get(i + 1) : end;
                trials.add(new Trial(started.get(i).getBenchmark(), params(started.get(i)),
                        new String(raw, from, to - from, StandardCharsets.UTF_8), Duration.ofNanos(until - startNanos.get(i))));
            }
            return trials;
        }

        @Override
        public synchronized void startBenchmark(BenchmarkParams benchParams) {
            stream.flush();
            started.add(benchParams);
            startOffsets.add(bytes.size());
            startNanos.add(System.nanoTime());
            text.startBenchmark(benchParams);
        }

        @Override
        public synchronized void endRun(Collection<RunResult> result) {
            endNanos = System.nanoTime();
            text.endRun(result);
        }

        @Override
        public synchronized void iterationResult(BenchmarkParams benchParams, IterationParams params, int iteration,
                                                 IterationResult data) {
            text.iterationResult(benchParams, params, iteration, data);
            if (params.getType() == IterationType.MEASUREMENT) {
                listener.measured(benchParams, iteration);
            }
        }

        @Override
        public synchronized void iteration(BenchmarkParams benchParams, IterationParams params, int iteration) {
            text.iteration(benchParams, params, iteration);
        }

        @Override
        public synchronized void endBenchmark(BenchmarkResult result) {
            text.endBenchmark(result);
        }

        @Override
        public synchronized void startRun() {
            text.startRun();
        }

        @Override
        public synchronized void print(String s) {
            text.print(s);
        }

        @Override
        public synchronized void println(String s) {
            text.println(s);
        }

        @Override
        public synchronized void flush() {
            text.flush();
        }

        @Override
        public synchronized void close() {
            text.close();
        }

        @Override
        public synchronized void verbosePrintln(String s) {
            text.verbosePrintln(s);
        }

        @Override
        public synchronized void write(int b) {
            text.write(b);
        }

        @Override
        public synchronized void write(byte[] b) throws IOException {
            text.write(b);
        }
    }
}
