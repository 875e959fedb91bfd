package io.wsbench.metrics;

import io.wsbench.metrics.JmhResultFile.Result;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * What a committed result needs besides JMH's JSON: the command that produced it and the machine it
 * ran on. {@code scripts/gate run} writes it next to the JSON as {@code NAME.run.txt}; {@code
 * update-baseline} turns it into the baseline's README.
 */
public final class RunRecord {

    private RunRecord() {
    }

    /** {@code results/gate/current.run.txt} for {@code results/gate/current.json}. */
    public static Path sidecarOf(Path json) {
        String name = json.getFileName().toString();
        String stem = name.endsWith(".json") ? name.substring(0, name.length() - ".json".length()) : name;
        return json.resolveSibling(stem + ".run.txt");
    }

    /** Writes the sidecar: date, the commands, and this machine's description. */
    public static void writeSidecar(Path json, List<String> commands) {
        StringBuilder text = new StringBuilder();
        text.append("date: ").append(Instant.now().truncatedTo(ChronoUnit.SECONDS)).append('\n');
        for (String command : commands) {
            text.append("command: ").append(command).append('\n');
        }
        text.append(machine());
        write(sidecarOf(json), text.toString());
    }

    /** {@code nproc}, CPU model from /proc/cpuinfo, kernel and the JVM running this code, one per line. */
    public static String machine() {
        return "nproc: " + Runtime.getRuntime().availableProcessors() + '\n'
                + "cpu: " + cpuModel().orElse("unknown (no 'model name' in /proc/cpuinfo)") + '\n'
                + "kernel: " + System.getProperty("os.name") + ' ' + System.getProperty("os.version")
                + ' ' + System.getProperty("os.arch") + '\n'
                + "java: " + System.getProperty("java.vm.name") + ' ' + System.getProperty("java.runtime.version") + '\n';
    }

    private static Optional<String> cpuModel() {
        Path cpuinfo = Path.of("/proc/cpuinfo");
        if (!Files.isReadable(cpuinfo)) {
            return Optional.empty();
        }
        try (Stream<String> lines = Files.lines(cpuinfo, StandardCharsets.UTF_8)) {
            return lines.filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim())
                    .findFirst();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read /proc/cpuinfo", e);
        }
    }

    /**
     * Copies {@code run} to {@code dir/gate.json} and writes {@code dir/README.md} describing it.
     *
     * @return the files written
     */
    public static List<Path> writeBaseline(Path run, Path dir) {
        JmhResultFile file = JmhResultFile.read(run);
        if (file.results().isEmpty()) {
            throw new GateInputException(run + " has no results; run the gate first (scripts/gate run) and pass its JSON");
        }
        Path json = dir.resolve("gate.json");
        Path readme = dir.resolve("README.md");
        Path sidecar = sidecarOf(run);
        try {
            Files.createDirectories(dir);
            Files.copy(run, json, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            String recorded;
            if (Files.isReadable(sidecar)) {
                recorded = Files.readString(sidecar, StandardCharsets.UTF_8);
                Files.copy(sidecar, sidecarOf(json), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            } else {
                recorded = "command: unknown: " + sidecar + " not found (the run was not made by scripts/gate run)\n"
                        + "machine at update time, not necessarily the run's:\n" + machine();
            }
            write(readme, readme(run, file, recorded));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the baseline into " + dir + ": " + e.getMessage(), e);
        }
        return List.of(json, readme);
    }

    private static String readme(Path run, JmhResultFile file, String recorded) {
        Result first = file.results().get(0);
        long benchmarks = file.results().stream().map(Result::benchmark).distinct().count();
        return "# Regression-gate baseline\n\n"
                + "`gate.json` is the JMH run that `scripts/gate compare` measures pull requests against.\n"
                + "Written by `scripts/gate update-baseline --from " + run + "`.\n\n"
                + "- results: " + file.results().size() + " (" + benchmarks + " benchmark methods)\n"
                + "- JMH: " + first.jmhVersion() + ", forks " + first.forks() + ", warmup " + first.warmupIterations()
                + " x " + first.warmupTime() + ", measurement " + first.measurementIterations() + " x "
                + first.measurementTime() + " (of the first result)\n"
                + "- JVM: " + first.vmName() + ' ' + first.vmVersion() + " (JDK " + first.jdkVersion() + "), "
                + first.jvm() + "\n"
                + "- JVM arguments: " + (first.jvmArgs().isEmpty() ? "none" : String.join(" ", first.jvmArgs())) + "\n\n"
                + "## Command and machine\n\n```\n" + recorded + "```\n\n"
                + "Compare only against runs on the same kind of machine: scores move with the CPU, the JVM and the load.\n";
    }

    /** Writes UTF-8 text, creating the parent folders; shared by the gate's outputs. */
    static void write(Path file, String text) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
