package io.wsbench.results;



import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * What a committed result needs besides JMH's JSON: the command that produced it and the machine it
 * ran on, written next to the JSON as {@code NAME.run.txt}; the gate's {@code update-baseline} turns it into the
 * baseline's README.
 */
public final class RunRecord {

    private RunRecord() {
    }

    /** {@code results/tmp/gate/current.run.txt} for {@code results/tmp/gate/current.json}. */
    public static Path sidecarOf(Path json) {
        String name = json.getFileName().toString();
        String stem = name.replaceFirst("\\.json(\\.gz)?$", "");
        return json.resolveSibling(stem + ".run.txt");
    }

    /** Writes the sidecar: date, the commands, and this machine's description. */
    public static void writeSidecar(Path json, List<String> commands) {
        writeSidecar(json, commands, null);
    }

    /** Writes the sidecar: date, the commands, the git commit when known, and this machine's description. */
    public static void writeSidecar(Path json, List<String> commands, String git) {
        StringBuilder text = new StringBuilder();
        text.append("date: ").append(Instant.now().truncatedTo(ChronoUnit.SECONDS)).append('\n');
        for (String command : commands) {
            text.append("command: ").append(command).append('\n');
        }
        if (git != null && !git.isBlank()) {
            text.append("git: ").append(git).append('\n');
        }
        text.append(machine());
        write(sidecarOf(json), text.toString());
    }

    /**
     * The scripts' one way to record a run: {@code RunRecord RESULT.json [--git REV] COMMAND...} writes
     * {@code RESULT.run.txt} before the run starts, so a run that dies still says what it was.
     */
    public static void main(String[] args) {
        if (args.length < 2) {
            System.err.println("usage: RunRecord RESULT.json [--git REV] COMMAND...");
            System.exit(2);
        }
        Path json = Path.of(args[0]);
        int first = 1;
        String git = null;
        if (args[1].equals("--git") && args.length >= 4) {
            git = args[2];
            first = 3;
        }
        writeSidecar(json, List.of(String.join(" ", List.of(args).subList(first, args.length))), git);
    }

    /**
     * The machine a run record describes: {@code nproc}, {@code cpu} and {@code java} (and {@code java vendor}, which
     * records written before it was added lack) as {@link #machine()} wrote them.
     *
     * @param nproc  the {@code nproc:} line, or empty when absent
     * @param cpu    the {@code cpu:} line, or empty when absent
     * @param java   the {@code java:} line (VM name and runtime version of the JVM that wrote the record), or empty
     * @param vendor the {@code java vendor:} line, or empty when absent
     */
    public record Machine(String nproc, String cpu, String java, String vendor) {

        /** Reads the record's {@code name: value} lines; a line that is not one is ignored. */
        public static Machine parse(String record) {
            Map<String, String> fields = new LinkedHashMap<>();
            for (String line : record.split("\n")) {
                int colon = line.indexOf(": ");
                if (colon > 0) {
                    fields.putIfAbsent(line.substring(0, colon).trim(), line.substring(colon + 2).trim());
                }
            }
            return new Machine(fields.getOrDefault("nproc", ""), fields.getOrDefault("cpu", ""),
                    fields.getOrDefault("java", ""), fields.getOrDefault("java vendor", ""));
        }

        /** The record beside {@code json} ({@link #sidecarOf}), or empty when there is none. */
        public static Optional<Machine> of(Path json) {
            Path sidecar = sidecarOf(json);
            if (!Files.isReadable(sidecar)) {
                return Optional.empty();
            }
            try {
                return Optional.of(parse(Files.readString(sidecar, StandardCharsets.UTF_8)));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the run record " + sidecar + ": " + e.getMessage(), e);
            }
        }

        /** {@code AMD EPYC, 2 cores}: the hardware part, for messages. */
        public String hardware() {
            return (cpu.isEmpty() ? "unknown CPU" : cpu) + ", " + (nproc.isEmpty() ? "unknown" : nproc) + " cores";
        }
    }

    /** {@code nproc}, CPU model from /proc/cpuinfo, kernel, the JVM running this code, its vendor and the memory, one per line. */
    public static String machine() {
        return "nproc: " + Runtime.getRuntime().availableProcessors() + '\n'
                + "cpu: " + cpuModel().orElse("unknown (no 'model name' in /proc/cpuinfo)") + '\n'
                + "kernel: " + System.getProperty("os.name") + ' ' + System.getProperty("os.version")
                + ' ' + System.getProperty("os.arch") + '\n'
                + "java: " + System.getProperty("java.vm.name") + ' ' + System.getProperty("java.runtime.version") + '\n'
                + "java vendor: " + System.getProperty("java.vendor") + '\n'
                + "memory: " + memory() + '\n';
    }

    private static String memory() {
        long bytes = ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getTotalMemorySize();
        return bytes > 0 ? Math.round(bytes / (1024.0 * 1024 * 1024)) + " GiB" : "unknown";
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

    /** Writes UTF-8 text, creating the parent folders; shared by every output file. */
    public static void write(Path file, String text) {
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
