package io.wsbench.results;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code scripts/results}: the committed tree keeps its budget and its links, a broken link is named, and a packed run
 * keeps its reader files beside one archive that unpacks to the files it took.
 */
class ResultsScriptTest {

    private static final Path SCRIPTS = Path.of("scripts").toAbsolutePath();

    @TempDir
    Path repo;

    private record Result(int exit, String out) {
    }

    @Test
    void committedResultsKeepTheBudgetAndEveryLinkResolves() throws Exception {
        Result check = run(Path.of("").toAbsolutePath(), "scripts/results", "check");

        assertThat(check.exit()).as(check.out()).isZero();
        assertThat(check.out()).contains("every link in README.md, docs/ and results/ resolves");
    }

    @Test
    void checkNamesALinkWhoseTargetIsMissing() throws Exception {
        copyScripts();
        Files.writeString(repo.resolve("README.md"), "[here](results/README.md) and [gone](docs/missing.md#part)\n");
        Files.createDirectories(repo.resolve("results"));
        Files.writeString(repo.resolve("results/README.md"), "[up](../README.md)\n");
        git("add", "-A");

        Result check = run(repo, "scripts/results", "check");

        assertThat(check.exit()).isEqualTo(1);
        assertThat(check.out()).contains("README.md: link to docs/missing.md: no such file")
                .doesNotContain("link to results/README.md").doesNotContain("link to ../README.md");
    }

    @Test
    void packKeepsTheReaderFilesAndUnpackRestoresTheRest() throws Exception {
        copyScripts();
        Path run = Files.createDirectories(repo.resolve("results/load/run"));
        Files.writeString(run.resolve("report.md"), "# report\n");
        Files.createDirectories(run.resolve("charts"));
        Files.writeString(run.resolve("charts/latency.png"), "png");
        Files.writeString(run.resolve("load.run.txt"), "date: today\n");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(run.resolve("load.json.gz")))) {
            out.write("[]".getBytes(StandardCharsets.UTF_8));
        }
        Files.writeString(run.resolve("jmh.log"), "ignored\n");
        Files.writeString(repo.resolve(".gitignore"), "results/**/jmh*.log\n");
        git("add", "-A");

        Result pack = run(repo, "scripts/results", "pack", "results/load/run");

        assertThat(pack.exit()).as(pack.out()).isZero();
        assertThat(listing(run)).containsExactly("charts", "charts/latency.png", "data.tar.xz", "jmh.log", "report.md");
        Result members = run(repo, "tar", "-tf", "results/load/run/data.tar.xz");
        assertThat(members.out().lines()).containsExactlyInAnyOrder("results/load/run/load.json", "results/load/run/load.run.txt");

        Result unpack = run(repo, "scripts/results", "unpack", "results/load/run/data.tar.xz");

        assertThat(unpack.exit()).as(unpack.out()).isZero();
        assertThat(Files.readString(run.resolve("load.json"))).isEqualTo("[]");
        assertThat(Files.readString(run.resolve("load.run.txt"))).isEqualTo("date: today\n");
    }

    @Test
    void packRefusesARunAlreadyPacked() throws Exception {
        copyScripts();
        Path run = Files.createDirectories(repo.resolve("results/load/run"));
        Files.writeString(run.resolve("load.json"), "[]");
        Files.writeString(run.resolve("data.tar.xz"), "");

        Result pack = run(repo, "scripts/results", "pack", "results/load/run");

        assertThat(pack.exit()).isEqualTo(2);
        assertThat(pack.out()).contains("data.tar.xz exists; unpack it first");
        assertThat(run.resolve("load.json")).exists();
    }

    private void copyScripts() throws Exception {
        Path scripts = Files.createDirectories(repo.resolve("scripts"));
        for (String name : List.of("results", "lib.sh")) {
            Files.copy(SCRIPTS.resolve(name), scripts.resolve(name));
        }
        git("init", "-q");
    }

    private void git(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("git"));
        command.addAll(List.of(args));
        Result git = run(repo, command.toArray(String[]::new));
        assertThat(git.exit()).as(git.out()).isZero();
    }

    private static List<String> listing(Path dir) throws IOException {
        try (var walk = Files.walk(dir)) {
            return walk.filter(p -> !p.equals(dir)).map(p -> dir.relativize(p).toString()).sorted().toList();
        }
    }

    private static Result run(Path dir, String... command) throws Exception {
        List<String> line = new ArrayList<>(List.of(command));
        if (line.get(0).startsWith("scripts/")) {
            line.add(0, "bash");
        }
        Path output = Files.createTempFile("results-script", ".out");
        try {
            Process process = new ProcessBuilder(line).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(output.toFile()).start();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                throw new AssertionError(String.join(" ", line) + " did not finish within 60 s: " + Files.readString(output));
            }
            return new Result(process.exitValue(), Files.readString(output));
        } finally {
            Files.delete(output);
        }
    }
}
