package io.wsbench.gate;

import io.wsbench.results.JmhResultFile;
import io.wsbench.results.JmhResultFileException;
import io.wsbench.results.RunRecord;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import io.wsbench.gate.RegressionGate.Comparison;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Command line of the regression gate; {@code scripts/gate} runs it. Subcommands: {@code compare},
 * {@code export}, {@code update-baseline}, and {@code merge} (used by {@code scripts/gate run}).
 * Exit status: 0 nothing regressed, 1 something regressed, 2 bad input.
 */
public final class Gate {

    public static final int OK = 0;
    public static final int REGRESSED = 1;
    public static final int BAD_INPUT = 2;

    private static final String ALLOCATION_ONLY = "--allocation-only";
    /** Options that take no value. */
    private static final Set<String> FLAGS = Set.of("--allow-other-machine", ALLOCATION_ONLY);

    static final String USAGE = """
            usage: scripts/gate <command> [options]   (each command explains itself with -h)
              run              run the gate preset and write JMH JSON (results/tmp/gate/current.json)
              ab               build two commits, run both here interleaved fork by fork, compare them
              compare          compare a run with the baseline; exit 1 on a regression
              export           write github-action-benchmark and Bencher (BMF) JSON
              update-baseline  make a run the committed baseline (results/baseline/)
            """;

    static final String COMPARE_USAGE = """
            usage: scripts/gate compare --baseline BASE.json --current CUR.json [--threshold PCT] [--alpha A]
                                        [--row-threshold NAME=PCT]... [--alloc-bytes B] [--alloc-percent P] [--markdown OUT.md] [--allow-other-machine]
                                        [--allocation-only]
            Compares the two JMH runs benchmark by benchmark (same name, mode and params) and prints a table:
            benchmark, params, baseline, current, change %, p-value, verdict.
            Time: a benchmark regresses when it is worse by more than PCT percent (default 10) AND Welch's t-test
            on the per-fork means (each fork's mean of its iterations) gives p < A (default 0.01, two-sided).
            Worse means lower for thrpt, higher for avgt/sample/ss. Verdicts: regression, improvement (never
            fails), noise (beyond PCT but not significant), unchanged (within PCT), untested (fewer than 2 forks
            a side), missing. --row-threshold NAME=PCT (repeatable) gives the rows whose benchmark name contains
            NAME their own PCT (the first that matches wins), as rows spread differently; default
            EchoRoundTripBenchmark=3 (the pinned round trip's forks are about 2 % apart, the codec rows' 2.5-6 %).
            Allocation: gc.alloc.rate.norm (B/op, from -prof gc) regresses when the median of its per-fork figures
            rises by more than max(B, P % of the baseline's) (defaults 8 B/op and 2 %); exact, no test.
            Machine: both runs' records (FILE.run.txt) must name the same CPU model and core count, and the JSON
            the same JVM; otherwise times do not compare and the gate exits 2 pointing to scripts/gate ab
            (allocation is still reported, and gated when the JVM's major version and vendor match).
              --allow-other-machine  compare anyway, with a warning above the table
              --allocation-only      compare allocation alone, against a baseline from any machine whose JVM has
                                     the same major version and vendor (exit 2 naming both JVMs otherwise); times
                                     are not compared, and the output says so. Not with --threshold, --row-threshold,
                                     --alpha or --allow-other-machine, which are about times.
              --markdown OUT.md      also write the tables as markdown (for a pull-request comment)
            exit: 0 no regression, 1 regression, 2 bad input (missing file, not JMH JSON, nothing in common,
            another machine; with --allocation-only: another JVM, or no gc.alloc.rate.norm on both sides)
            """;

    static final String EXPORT_USAGE = """
            usage: scripts/gate export --in RUN.json [--github PREFIX] [--bencher OUT.json]
              --github PREFIX   github-action-benchmark custom JSON, split by direction into
                                PREFIX-bigger.json (tool: customBiggerIsBetter: thrpt scores) and
                                PREFIX-smaller.json (tool: customSmallerIsBetter: time/op, SampleTime
                                percentiles, gc.alloc.rate.norm). Its built-in 'jmh' tool treats every
                                score as smaller-is-better, so throughput alerts come out backwards.
              --bencher OUT.json  Bencher Metric Format: throughput in ops/s, latency in ns,
                                latency-p50/p90/p99/p999 in ns, alloc-bytes-per-op in B/op
            At least one of --github and --bencher is required.
            """;

    static final String UPDATE_USAGE = """
            usage: scripts/gate update-baseline [--from RUN.json] [--dir DIR]
            Copies RUN.json (default results/tmp/gate/current.json) to DIR/gate.json (default results/baseline)
            and writes DIR/README.md with the JVM, the machine (nproc, CPU model, kernel) and the command,
            taken from RUN.run.txt that scripts/gate run writes beside its JSON.
            Run it on the machine the gate compares on, and commit both files.
            """;

    static final String MERGE_USAGE = """
            usage: scripts/gate merge --out OUT.json [--command CMD]... [--source TEXT] PART.json...
            Concatenates JMH JSON files (the parts of one gate run) into OUT.json and records each CMD, the
            source (such as the commit) and this machine's description in OUT.run.txt. Results that occur in
            several parts (the same benchmark, mode and params run one fork at a time) are pooled into one
            result with all their forks. scripts/gate run and ab call it.
            """;

    static final String ERROR_RATES_USAGE = """
            usage: scripts/gate error-rates --null DIR [--null DIR]... [--forks N] [--draws N] [--effects 10,15,20]
                                            [--threshold PCT] [--row-threshold NAME=PCT]... [--alpha A] [--seed S]
                                            [--out FILE]
            Estimates the gate's false-alarm rate and its detection rate by resampling the forks of unchanged
            scripts/gate ab runs (each DIR holds an ab run's base.json and head.json): per row, draws N forks a
            side (default 5) without replacement from the pooled per-fork means, applies the gate's rule, and for
            each effect makes the head that much worse first. --draws (default 10000), --seed (default 1).
            """;

    private static final String ROW_THRESHOLD = "--row-threshold";
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping()
            .serializeSpecialFloatingPointValues().create();

    private Gate() {
    }

    /** The --threshold for every row and each --row-threshold NAME=PCT for the rows it names. */
    private static Thresholds thresholds(Options o) {
        return Thresholds.parse(o.number("--threshold", RegressionGate.DEFAULT_THRESHOLD_PERCENT), o.values(ROW_THRESHOLD));
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs one subcommand and returns the exit status instead of exiting, so tests can call it. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0 || isHelp(args[0])) {
            (args.length == 0 ? err : out).print(USAGE);
            return args.length == 0 ? BAD_INPUT : OK;
        }
        String command = args[0];
        List<String> rest = List.of(args).subList(1, args.length);
        String usage = switch (command) {
            case "compare" -> COMPARE_USAGE;
            case "export" -> EXPORT_USAGE;
            case "update-baseline" -> UPDATE_USAGE;
            case "merge" -> MERGE_USAGE;
            case "error-rates" -> ERROR_RATES_USAGE;
            default -> null;
        };
        if (usage == null) {
            err.println("gate: unknown command '" + command + "'");
            err.print(USAGE);
            return BAD_INPUT;
        }
        if (rest.stream().anyMatch(Gate::isHelp)) {
            out.print(usage);
            return OK;
        }
        try {
            return switch (command) {
                case "compare" -> compare(new Options(rest, Set.of("--baseline", "--current", "--threshold", ROW_THRESHOLD, "--alpha",
                        "--alloc-bytes", "--alloc-percent", "--markdown", "--allow-other-machine", ALLOCATION_ONLY), false), out, err);
                case "export" -> export(new Options(rest, Set.of("--in", "--github", "--bencher"), false), out);
                case "update-baseline" -> updateBaseline(new Options(rest, Set.of("--from", "--dir"), false), out);
                case "error-rates" -> errorRates(new Options(rest, Set.of("--null", "--forks", "--draws", "--effects",
                        "--threshold", ROW_THRESHOLD, "--alpha", "--seed", "--out"), false), out);
                default -> merge(new Options(rest, Set.of("--out", "--command", "--source"), true), out);
            };
        } catch (GateInputException | JmhResultFileException | IllegalArgumentException e) {
            err.println("gate " + command + ": " + e.getMessage());
            err.println("(scripts/gate " + command + " -h for usage)");
            return BAD_INPUT;
        } catch (UncheckedIOException e) {
            err.println("gate " + command + ": " + e.getMessage());
            return BAD_INPUT;
        }
    }

    private static int compare(Options o, PrintStream out, PrintStream err) {
        if (o.flag(ALLOCATION_ONLY)) {
            return compareAllocationOnly(o, out, err);
        }
        Thresholds thresholds = thresholds(o);
        double alpha = o.number("--alpha", RegressionGate.DEFAULT_ALPHA);
        double allocBytes = o.number("--alloc-bytes", AllocationGate.DEFAULT_TOLERANCE_BYTES);
        double allocPercent = o.number("--alloc-percent", AllocationGate.DEFAULT_TOLERANCE_PERCENT);
        boolean allowOtherMachine = o.flag("--allow-other-machine");
        JmhResultFile baseline = JmhResultFile.read(o.requiredPath("--baseline"));
        JmhResultFile current = JmhResultFile.read(o.requiredPath("--current"));
        MachineCheck machine = MachineCheck.of(baseline, current);
        Comparison comparison = new RegressionGate(thresholds, alpha, allocBytes, allocPercent)
                .compare(baseline, current, machine.sameAllocationJvm());
        List<String> warnings = new ArrayList<>(machine.warnings());
        if (!machine.sameMachine() && allowOtherMachine) {
            warnings.add(0, "OTHER MACHINE (--allow-other-machine): the baseline was recorded on " + machine.baseline()
                    + ", this run on " + machine.current() + " (" + String.join("; ", machine.differences())
                    + "). Times move with the CPU and the JVM, so the time verdicts below may be nothing but the"
                    + " machine; for a verdict you can trust run both builds here: scripts/gate ab --base REF");
        }
        if (!machine.sameAllocationJvm()) {
            warnings.add("the JVMs differ in major version or vendor, so allocation is shown but not gated ('other JVM')");
        }
        comparison = comparison.warn(warnings);
        for (String warning : machine.warnings()) {
            err.println("gate compare: warning: " + warning);
        }
        if (!machine.sameMachine() && !allowOtherMachine) {
            out.print(ComparisonReport.text(comparison, false));
            throw new GateInputException("the baseline " + baseline.source() + " was recorded on " + machine.baseline()
                    + ", the current run " + current.source() + " on " + machine.current() + " ("
                    + String.join("; ", machine.differences()) + "): times from different machines do not compare."
                    + " Run both builds on this machine instead: scripts/gate ab --base REF (e.g. the pull request's base"
                    + " commit), or record a baseline here (scripts/gate run, then update-baseline)."
                    + " --allow-other-machine compares anyway, with a warning. Allocation verdicts (above): "
                    + ComparisonReport.allocationSummary(comparison));
        }
        out.print(ComparisonReport.text(comparison));
        String markdown = o.value("--markdown");
        if (markdown != null) {
            RunRecord.write(Path.of(markdown), ComparisonReport.markdown(comparison));
            out.println("markdown: " + markdown);
        }
        if (!machine.sameMachine()) {
            err.println("gate compare: WARNING: compared runs from different machines (" + machine.baseline() + " vs "
                    + machine.current() + "); time verdicts reflect the machines as much as the code");
        }
        if (comparison.nothingTestable() && !comparison.hasAllocationRegression()) {
            throw new GateInputException("no matched benchmark has the " + RegressionGate.MIN_FORKS
                    + " forks a side Welch's t-test on per-fork means needs, so nothing was tested; run more forks (-f "
                    + RegressionGate.MIN_FORKS + " or more)");
        }
        return comparison.hasRegression() ? REGRESSED : OK;
    }

    /** compare --allocation-only: the allocation table alone, gated whatever the machine when the JVMs match. */
    private static int compareAllocationOnly(Options o, PrintStream out, PrintStream err) {
        for (String timeOption : List.of("--threshold", ROW_THRESHOLD, "--alpha", "--allow-other-machine")) {
            if (o.value(timeOption) != null || o.flag(timeOption)) {
                throw new GateInputException(timeOption + " is about times, which " + ALLOCATION_ONLY
                        + " does not compare; drop one of the two");
            }
        }
        JmhResultFile baseline = JmhResultFile.read(o.requiredPath("--baseline"));
        JmhResultFile current = JmhResultFile.read(o.requiredPath("--current"));
        MachineCheck machine = MachineCheck.of(baseline, current);
        for (String warning : machine.warnings()) {
            err.println("gate compare: warning: " + warning);
        }
        if (!machine.sameAllocationJvm()) {
            throw new GateInputException("allocation compares only between JVMs of the same major version and vendor"
                    + " (the class library and escape analysis differ between them): " + machine.allocationJvms()
                    + ". Record a baseline with this JVM (scripts/gate run, then update-baseline), or run this one"
                    + " on the baseline's JVM");
        }
        Comparison comparison = new RegressionGate(RegressionGate.DEFAULT_THRESHOLD_PERCENT, RegressionGate.DEFAULT_ALPHA,
                o.number("--alloc-bytes", AllocationGate.DEFAULT_TOLERANCE_BYTES),
                o.number("--alloc-percent", AllocationGate.DEFAULT_TOLERANCE_PERCENT)).compare(baseline, current, true);
        if (comparison.allocation().isEmpty()) {
            throw new GateInputException("nothing to compare: no benchmark in common has " + AllocationGate.METRIC
                    + " on both sides; record both runs with -prof gc (scripts/gate run does, in both parts)");
        }
        List<String> banner = new ArrayList<>();
        banner.add("ALLOCATION ONLY (" + ALLOCATION_ONLY + "): times were not compared. The baseline was recorded on "
                + machine.baseline() + ", this run on " + machine.current()
                + (machine.sameMachine() ? "" : " (" + String.join("; ", machine.differences()) + ")")
                + "; bytes allocated per operation compare across machines with the same JVM major version and vendor.");
        banner.addAll(comparison.warnings());
        banner.addAll(machine.warnings());
        comparison = comparison.withWarnings(banner);
        out.print(ComparisonReport.text(comparison, false));
        String markdown = o.value("--markdown");
        if (markdown != null) {
            RunRecord.write(Path.of(markdown), ComparisonReport.markdown(comparison, false));
            out.println("markdown: " + markdown);
        }
        return comparison.hasAllocationRegression() ? REGRESSED : OK;
    }

    private static int export(Options o, PrintStream out) {
        JmhResultFile run = JmhResultFile.read(o.requiredPath("--in"));
        String github = o.value("--github");
        String bencher = o.value("--bencher");
        if (github == null && bencher == null) {
            throw new GateInputException("nothing to write: pass --github PREFIX and/or --bencher OUT.json");
        }
        if (github != null) {
            String prefix = github.endsWith(".json") ? github.substring(0, github.length() - ".json".length()) : github;
            Path bigger = Path.of(prefix + "-bigger.json");
            Path smaller = Path.of(prefix + "-smaller.json");
            RunRecord.write(bigger, GSON.toJson(BenchmarkExport.githubBiggerIsBetter(run)));
            RunRecord.write(smaller, GSON.toJson(BenchmarkExport.githubSmallerIsBetter(run)));
            out.println("github-action-benchmark: " + bigger + " (tool: customBiggerIsBetter), "
                    + smaller + " (tool: customSmallerIsBetter)");
        }
        if (bencher != null) {
            RunRecord.write(Path.of(bencher), GSON.toJson(BenchmarkExport.bencher(run)));
            out.println("Bencher Metric Format: " + bencher + " (bencher run --adapter json --file " + bencher + ")");
        }
        return OK;
    }

    private static int errorRates(Options o, PrintStream out) {
        List<Path> runs = o.values("--null").stream().map(Path::of).toList();
        if (runs.isEmpty()) {
            throw new GateInputException("no --null DIR given: pass the folders of unchanged runs (scripts/gate ab --base HEAD --out DIR)");
        }
        int forks = (int) o.number("--forks", 5);
        int draws = (int) o.number("--draws", 10_000);
        if (forks < RegressionGate.MIN_FORKS || draws < 1) {
            throw new GateInputException("--forks must be at least " + RegressionGate.MIN_FORKS + " and --draws at least 1");
        }
        double[] effects;
        try {
            effects = java.util.Arrays.stream(o.valueOr("--effects", "10,15,20,30").split(","))
                    .map(String::trim).mapToDouble(Double::parseDouble).toArray();
        } catch (NumberFormatException e) {
            throw new GateInputException("--effects must be percentages separated by commas, such as 10,15,20, was '"
                    + o.value("--effects") + "'");
        }
        String report = ErrorRates.report(runs, forks, effects, thresholds(o), o.number("--alpha", RegressionGate.DEFAULT_ALPHA),
                draws, (long) o.number("--seed", 1));
        out.print(report);
        String file = o.value("--out");
        if (file != null) {
            RunRecord.write(Path.of(file), report);
            out.println("wrote " + file);
        }
        return OK;
    }

    private static int updateBaseline(Options o, PrintStream out) {
        Path from = Path.of(o.valueOr("--from", "results/tmp/gate/current.json"));
        Path dir = Path.of(o.valueOr("--dir", "results/baseline"));
        for (Path written : Baseline.write(from, dir)) {
            out.println("wrote " + written);
        }
        out.println("commit them: git add " + dir + " && git commit -m 'Update the gate baseline'");
        return OK;
    }

    private static int merge(Options o, PrintStream out) {
        Path target = o.requiredPath("--out");
        if (o.positional().isEmpty()) {
            throw new GateInputException("no PART.json given to merge");
        }
        List<JsonElement> all = new ArrayList<>();
        for (String part : o.positional()) {
            Path path = Path.of(part);
            JmhResultFile.read(path);
            readJsonArray(path).forEach(all::add);
        }
        JsonArray merged = ForkMerge.pool(all);
        RunRecord.write(target, GSON.toJson(merged));
        RunRecord.writeSidecar(target, o.values("--command"), o.value("--source"));
        out.println("wrote " + target + " (" + merged.size() + " results) and " + RunRecord.sidecarOf(target));
        return OK;
    }

    /** The file's JSON elements as JMH wrote them, so merging loses no field this reader ignores. */
    private static JsonArray readJsonArray(Path path) {
        try {
            JsonElement root = JsonParser.parseString(Files.readString(path, StandardCharsets.UTF_8));
            return root.getAsJsonArray();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    private static boolean isHelp(String arg) {
        return arg.equals("-h") || arg.equals("--help");
    }

    /** {@code --name value} options (repeatable), the {@link #FLAGS} and, where allowed, positional arguments. */
    private static final class Options {
        private final Map<String, List<String>> values = new HashMap<>();
        private final Set<String> flags = new java.util.HashSet<>();
        private final List<String> positional = new ArrayList<>();

        Options(List<String> args, Set<String> known, boolean positionalAllowed) {
            for (int i = 0; i < args.size(); i++) {
                String arg = args.get(i);
                if (arg.startsWith("--")) {
                    if (!known.contains(arg)) {
                        throw new GateInputException("unknown option " + arg + "; known: " + String.join(", ", new java.util.TreeSet<>(known)));
                    }
                    if (FLAGS.contains(arg)) {
                        flags.add(arg);
                        continue;
                    }
                    if (i + 1 >= args.size()) {
                        throw new GateInputException(arg + " needs a value");
                    }
                    values.computeIfAbsent(arg, k -> new ArrayList<>()).add(args.get(++i));
                } else if (positionalAllowed) {
                    positional.add(arg);
                } else {
                    throw new GateInputException("unexpected argument '" + arg + "'");
                }
            }
        }

        boolean flag(String name) {
            return flags.contains(name);
        }

        String value(String name) {
            List<String> all = values.get(name);
            return all == null ? null : all.get(all.size() - 1);
        }

        String valueOr(String name, String fallback) {
            String value = value(name);
            return value == null ? fallback : value;
        }

        List<String> values(String name) {
            return values.getOrDefault(name, List.of());
        }

        List<String> positional() {
            return positional;
        }

        Path requiredPath(String name) {
            String value = value(name);
            if (value == null) {
                throw new GateInputException("missing " + name + " FILE");
            }
            return Path.of(value);
        }

        double number(String name, double fallback) {
            String value = value(name);
            if (value == null) {
                return fallback;
            }
            try {
                return Double.parseDouble(value);
            } catch (NumberFormatException e) {
                throw new GateInputException(name + " must be a number such as " + RegressionGate.trim(fallback)
                        + ", was '" + value + "'");
            }
        }
    }
}
