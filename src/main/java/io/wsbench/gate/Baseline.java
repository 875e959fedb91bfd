package io.wsbench.gate;

import io.wsbench.results.JmhResultFile;
import io.wsbench.results.JmhResultFile.Result;
import io.wsbench.results.RunRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The committed baseline the gate compares against: the run's JSON, its run record and a README saying where it came from. */
final class Baseline {

    private Baseline() {
    }

    /**
     * Copies {@code run} to {@code dir/gate.json} and writes {@code dir/README.md} describing it.
     *
     * @return the files written
     */
    static List<Path> write(Path run, Path dir) {
        JmhResultFile file = JmhResultFile.read(run);
        if (file.results().isEmpty()) {
            throw new GateInputException(run + " has no results; run the gate first (scripts/gate run) and pass its JSON");
        }
        Path json = dir.resolve("gate.json");
        Path readme = dir.resolve("README.md");
        Path sidecar = RunRecord.sidecarOf(run);
        try {
            Files.createDirectories(dir);
            Files.copy(run, json, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            String recorded;
            if (Files.isReadable(sidecar)) {
                recorded = Files.readString(sidecar, StandardCharsets.UTF_8);
                Files.copy(sidecar, RunRecord.sidecarOf(json), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            } else {
                recorded = "command: unknown: " + sidecar + " not found (the run was not made by scripts/gate run)\n"
                        + "machine at update time, not necessarily the run's:\n" + RunRecord.machine();
            }
            RunRecord.write(readme, readme(run, file, recorded));
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

}
