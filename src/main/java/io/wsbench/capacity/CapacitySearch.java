package io.wsbench.capacity;

import io.wsbench.record.RateCheck;
import io.wsbench.results.JmhResultFile;
import io.wsbench.results.JmhResultFile.Metric;
import io.wsbench.results.JmhResultFile.Result;
import io.wsbench.results.JmhResultFileException;
import io.wsbench.results.MetricNames;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The highest open-loop rate a server sustains at a given connection count: the rate is stepped up a
 * geometric ladder, one short EchoLoadBenchmark run per step, until a step fails — p99 above the
 * bound, achieved rate below {@value #MIN_ACHIEVED_PERCENT} % of the target, the run marked itself
 * invalid, or it did not complete. The last step before that is the capacity. Each step's JMH JSON and
 * console log stay in {@code OUT/steps}; the table goes to stdout and {@code OUT/capacity.md}.
 *
 * <p>Run through {@code scripts/capacity}, which holds the defaults; the driver itself takes every
 * setting explicitly, then the JMH command to run for each step after {@code --}:
 * <pre>
 * java -cp target/benchmarks.jar io.wsbench.capacity.CapacitySearch --servers netty,rawtcp --connections 100
 *     --p99-ms 10 --start 2000 --factor 1.5 --cap 500000 --steps 14 --step-timeout-s 300 --out DIR
 *     -- java -jar target/benchmarks.jar EchoLoadBenchmark.echo -f 1 -wi 1 -w 2s -i 2 -r 2s -prof io.wsbench.jmh.EchoMetricsProfiler
 * </pre>
 */
public final class CapacitySearch {
    /** The open loop's own validity rule ({@link RateCheck}): achieved within its shortfall of the target. */
    public static final double MIN_ACHIEVED_PERCENT = 100.0 - RateCheck.MAX_SHORTFALL_PERCENT;

    private CapacitySearch() {
    }

    /** One rung of the ladder: what the run achieved, and whether that counts as sustained. */
    public record Step(int rate, boolean sustained, String verdict, double achievedPerSecond, double p99Micros) {
    }

    /** The result for one server and connection count. */
    public record Capacity(String server, int connections, Optional<Step> highestSustained, Optional<Step> firstFailure) {
    }

    /**
     * Rates {@code start, start·factor, start·factor², …} rounded to two significant digits, at most
     * {@code maxSteps} of them and none above {@code cap}.
     */
    public static List<Integer> ladder(int start, double factor, int cap, int maxSteps) {
        if (start < 1 || !(factor > 1) || cap < start || maxSteps < 1) {
            throw new IllegalArgumentException("ladder needs start >= 1, factor > 1, cap >= start and steps >= 1; got start="
                    + start + " factor=" + factor + " cap=" + cap + " steps=" + maxSteps);
        }
        List<Integer> rates = new ArrayList<>();
        double exact = start;
        while (rates.size() < maxSteps) {
            int rate = roundToTwoDigits(exact);
            if (rate > cap) {
                break;
            }
            if (rates.isEmpty() || rate > rates.get(rates.size() - 1)) {
                rates.add(rate);
            }
            exact *= factor;
        }
        return rates;
    }

    private static int roundToTwoDigits(double value) {
        double unit = Math.pow(10, Math.max(0, Math.floor(Math.log10(value)) - 1));
        return (int) (Math.round(value / unit) * unit);
    }

    /**
     * Judges one step from its JMH JSON; a missing or empty file means the run failed.
     *
     * @param noResultVerdict the verdict when there is no result: why the run failed, or where to look
     */
    public static Step judge(int rate, Path json, double p99BoundMicros, String noResultVerdict) throws IOException {
        Optional<Map<String, Metric>> secondary = secondaryMetrics(json);
        if (secondary.isEmpty()) {
            return new Step(rate, false, noResultVerdict, Double.NaN, Double.NaN);
        }
        double achieved = score(secondary.get(), MetricNames.RATE_ACHIEVED, json);
        double p99 = score(secondary.get(), MetricNames.LATENCY_P99, json);
        double valid = score(secondary.get(), MetricNames.VALID, json);
        String measured = String.format("achieved %.0f msg/s, p99 %.2f ms", achieved, p99 / 1000);
        String verdict;
        if (valid < 1) {
            verdict = "marked invalid (" + measured + ")";
        } else if (!new RateCheck(rate, achieved).valid()) {
            verdict = String.format("achieved %.0f msg/s, below %.0f %% of the target", achieved, MIN_ACHIEVED_PERCENT);
        } else if (p99 > p99BoundMicros) {
            verdict = String.format("p99 %.2f ms above the %.2f ms bound", p99 / 1000, p99BoundMicros / 1000);
        } else {
            return new Step(rate, true, "sustained (" + measured + ")", achieved, p99);
        }
        return new Step(rate, false, verdict, achieved, p99);
    }

    private static Optional<Map<String, Metric>> secondaryMetrics(Path json) throws IOException {
        if (!Files.exists(json) || Files.size(json) == 0) {
            return Optional.empty();
        }
        List<Result> results;
        try {
            results = JmhResultFile.read(json).results();
        } catch (JmhResultFileException e) {
            throw new IOException(e.getMessage(), e);
        }
        if (results.isEmpty()) {
            return Optional.empty();
        }
        if (results.size() > 1) {
            throw new IOException(json + " holds " + results.size() + " results; a capacity step runs exactly one");
        }
        Map<String, Metric> secondary = results.get(0).secondaryMetrics();
        if (secondary.isEmpty()) {
            throw new IOException(json + " has no secondary metrics: run the step with -prof io.wsbench.jmh.EchoMetricsProfiler");
        }
        return Optional.of(secondary);
    }

    private static double score(Map<String, Metric> secondary, String metric, Path json) throws IOException {
        Metric m = secondary.get(metric);
        if (m == null) {
            throw new IOException(json + " lacks the secondary metric " + metric
                    + ": run an open-loop EchoLoadBenchmark step with -prof io.wsbench.jmh.EchoMetricsProfiler");
        }
        return m.score();
    }

    /** Steps in the order they ran: the capacity is the last sustained step before the first failure. */
    public static Capacity summarize(String server, int connections, List<Step> steps) {
        Optional<Step> highest = Optional.empty();
        for (Step step : steps) {
            if (!step.sustained()) {
                return new Capacity(server, connections, highest, Optional.of(step));
            }
            highest = Optional.of(step);
        }
        return new Capacity(server, connections, highest, Optional.empty());
    }

    public static String markdownTable(List<Capacity> rows, double p99BoundMicros) {
        StringBuilder table = new StringBuilder();
        table.append(String.format("Highest sustained open-loop rate: p99 <= %.2f ms, achieved >= %.0f %% of target, run valid.%n%n",
                p99BoundMicros / 1000, MIN_ACHIEVED_PERCENT));
        table.append("| server | connections | sustained rate (msg/s) | achieved (msg/s) | p99 (ms) | next step (msg/s) | next step's verdict |\n");
        table.append("|---|---:|---:|---:|---:|---:|---|\n");
        for (Capacity row : rows) {
            String sustained = row.highestSustained().map(s -> String.format("%d | %.0f | %.2f", s.rate(), s.achievedPerSecond(),
                    s.p99Micros() / 1000)).orElse("none (below the first step) | – | –");
            String next = row.firstFailure().map(f -> f.rate() + " | " + f.verdict()).orElse("– | every step sustained: raise --cap or --steps");
            table.append("| ").append(row.server()).append(" | ").append(row.connections()).append(" | ")
                    .append(sustained).append(" | ").append(next).append(" |\n");
        }
        return table.toString();
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        int separator = Arrays.asList(args).indexOf("--");
        if (separator < 0 || separator == args.length - 1) {
            throw new IllegalArgumentException("usage: CapacitySearch --servers LIST --connections LIST --p99-ms MS --start RATE"
                    + " --factor F --cap RATE --steps N --step-timeout-s S --out DIR -- JMH COMMAND (see scripts/capacity -h)");
        }
        Map<String, String> options = parseOptions(Arrays.copyOfRange(args, 0, separator));
        List<String> jmhCommand = List.of(Arrays.copyOfRange(args, separator + 1, args.length));
        double p99BoundMicros = Double.parseDouble(option(options, "p99-ms")) * 1000;
        List<Integer> rates = ladder(Integer.parseInt(option(options, "start")), Double.parseDouble(option(options, "factor")),
                Integer.parseInt(option(options, "cap")), Integer.parseInt(option(options, "steps")));
        long stepTimeoutSeconds = Long.parseLong(option(options, "step-timeout-s"));
        Path out = Path.of(option(options, "out"));
        Path stepsDir = Files.createDirectories(out.resolve("steps"));

        List<Capacity> rows = new ArrayList<>();
        for (String server : option(options, "servers").split(",")) {
            for (String connections : option(options, "connections").split(",")) {
                List<Step> steps = new ArrayList<>();
                for (int rate : rates) {
                    String name = server + "-c" + connections + "-r" + rate;
                    Path json = stepsDir.resolve(name + ".json");
                    Files.deleteIfExists(json);
                    List<String> command = new ArrayList<>(jmhCommand);
                    command.addAll(List.of("-p", "server=" + server, "-p", "connections=" + connections, "-p", "loadModel=open",
                            "-p", "rate=" + rate, "-rf", "json", "-rff", json.toString()));
                    Path log = stepsDir.resolve(name + ".log");
                    String failure = runStep(command, log, stepTimeoutSeconds);
                    Step step = judge(rate, json, p99BoundMicros,
                            failure != null ? failure : "run failed: no result, see steps/" + log.getFileName());
                    steps.add(step);
                    System.err.printf("capacity: %s, %s connections, %d msg/s: %s%n", server, connections, rate, step.verdict());
                    if (!step.sustained()) {
                        break;
                    }
                }
                rows.add(summarize(server, Integer.parseInt(connections), steps));
            }
        }
        String table = markdownTable(rows, p99BoundMicros);
        Files.writeString(out.resolve("capacity.md"), table);
        System.out.print(table);
    }

    /** Runs one step's JMH process, its output into {@code log}; returns why it did not finish, or null. */
    private static String runStep(List<String> command, Path log, long timeoutSeconds) throws IOException, InterruptedException {
        Process jmh = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (jmh.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            return null;
        }
        jmh.descendants().forEach(ProcessHandle::destroyForcibly);
        jmh.destroyForcibly();
        jmh.waitFor(10, TimeUnit.SECONDS);
        return "run did not finish within " + timeoutSeconds + " s and was stopped, see steps/" + log.getFileName();
    }

    private static Map<String, String> parseOptions(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --name value pairs before --, got '" + args[i] + "'");
            }
            options.put(args[i].substring(2), args[i + 1]);
        }
        return options;
    }

    private static String option(Map<String, String> options, String name) {
        String value = options.get(name);
        if (value == null) {
            throw new IllegalArgumentException("missing --" + name + " (scripts/capacity passes every option; see scripts/capacity -h)");
        }
        return value;
    }
}
