package io.wsbench.results;



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
 * ran on, written next to the JSON as {@code NAME.run.txt}; the gate's {@code update-baseline} turns it into the
 * baseline's README.
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
