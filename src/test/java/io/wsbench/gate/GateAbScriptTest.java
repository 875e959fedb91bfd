package io.wsbench.gate;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code scripts/gate ab}'s argument handling and interleaving plan, through its {@code --dry-run}, which resolves the
 * commits and prints the JMH runs it would make without building or running anything; and one real ab of one codec row,
 * one fork a side, end to end.
 */
class GateAbScriptTest {

    @TempDir
    Path dir;

    private record Result(int exit, String out) {
        List<String> steps() {
            return out.lines().filter(l -> l.startsWith("step ")).toList();
        }
    }

    @Test
    void planAlternatesBaseAndHeadForkByForkInAbbaOrder() throws Exception {
        Result r = ab("--base", "HEAD", "--forks", "4", "--dry-run");

        assertThat(r.exit()).as(r.out()).isZero();
        List<String> order = r.steps().stream().map(l -> l.replaceAll("^step \\d+/16: (round \\d \\w+ \\w+):.*$", "$1")).toList();
        assertThat(order).containsExactly(
                "round 1 base codec", "round 1 head codec", "round 1 base roundtrip", "round 1 head roundtrip",
                "round 2 head codec", "round 2 base codec", "round 2 head roundtrip", "round 2 base roundtrip",
                "round 3 base codec", "round 3 head codec", "round 3 base roundtrip", "round 3 head roundtrip",
                "round 4 head codec", "round 4 base codec", "round 4 head roundtrip", "round 4 base roundtrip");
        assertThat(r.steps()).allMatch(l -> l.contains(" -f 1 "));
        assertThat(r.out()).contains("preset full").contains("4 forks a side");
    }

    @Test
    void headJvmArgsGoToTheHeadsForksOnly() throws Exception {
        Result r = ab("--base", "HEAD", "--quick", "--forks", "2", "--part", "codec",
                "--head-jvm-args", "-Dwsbench.inject.frameSlowdownNanos=50 -Dx=1", "--dry-run");

        assertThat(r.exit()).as(r.out()).isZero();
        assertThat(r.steps()).hasSize(4);
        for (String step : r.steps()) {
            boolean head = step.contains(" head codec:");
            assertThat(step.contains("-jvmArgsAppend -Dwsbench.inject.frameSlowdownNanos=50 -Dx=1")).as(step).isEqualTo(head);
            assertThat(step).contains("<" + (head ? "head" : "base") + ".jar>");
        }
    }

    @Test
    void quickPresetIsThe125ByteRowsAndTheNettyRoundTrip() throws Exception {
        Result r = ab("--base", "HEAD", "--quick", "--dry-run");

        assertThat(r.exit()).as(r.out()).isZero();
        assertThat(r.out()).contains("preset quick").contains("4 forks a side");
        assertThat(r.steps()).hasSize(16);
        assertThat(r.steps()).filteredOn(l -> l.contains(" codec:"))
                .allMatch(l -> l.contains("-p payloadBytes=125 ") && l.contains("-prof gc") && l.contains("-wi 3 -w 1s -i 4 -r 500ms"));
        assertThat(r.steps()).filteredOn(l -> l.contains(" roundtrip:"))
                .allMatch(l -> l.contains("-p server=netty -p payloadBytes=64 -p type=binary -p placement=shared -prof gc "));
    }

    @Test
    void fullPresetHasBothCodecSizesAndTwoServersBesideBothFloorsPinned() throws Exception {
        Result r = ab("--base", "HEAD", "--forks", "2", "--dry-run");

        assertThat(r.steps()).filteredOn(l -> l.contains(" codec:")).allMatch(l -> l.contains("-p payloadBytes=125,65536"));
        assertThat(r.steps()).filteredOn(l -> l.contains(" roundtrip:"))
                .isNotEmpty()
                .allMatch(l -> l.contains("-p server=netty,jetty,socket,rawtcp ") && l.contains("-p placement=shared -prof gc "));
    }

    @Test
    void benchmarkNarrowsAPartToTheMatchingRowsAndAllocationOnlyAllowsOneFork() throws Exception {
        Result r = ab("--base", "HEAD", "--quick", "--part", "codec", "--benchmark", "JettyFrameCodecBenchmark\\.decode",
                "--forks", "1", "--allocation-only", "--dry-run");

        assertThat(r.exit()).as(r.out()).isZero();
        assertThat(r.steps()).hasSize(2).allMatch(l -> l.contains(
                " (?=.*(?:JettyFrameCodecBenchmark\\.decode))io\\.wsbench\\.codec\\.(Netty|Jetty|Tyrus)FrameCodecBenchmark\\.(encode|decode)$ -f 1 "));
        assertThat(r.out()).contains("only benchmarks matching JettyFrameCodecBenchmark\\.decode").contains("1 fork a side")
                .contains("--current results/tmp/gate/ab/head.json --allocation-only");

        Result timed = ab("--base", "HEAD", "--forks", "2", "--allocation-only", "--threshold", "5", "--dry-run");
        assertThat(timed.exit()).isEqualTo(2);
        assertThat(timed.out()).contains("--threshold and --alpha judge times, which --allocation-only does not compare");
    }

    /**
     * A real ab, as small as it gets: Jetty's 125-byte decode, one fork a side, the head allocating a byte[64] more per
     * frame. Allocation is exact, so the verdict is too (a busy machine changes times, not bytes); times are not
     * compared. Both sides run the test classpath's benchmarks through a jar that only names them, so nothing is
     * built when src/ and pom.xml are committed (otherwise ab builds HEAD first, offline).
     */
    @Test
    void aRealAbOfOneCodecRowCatchesAnInjectedAllocation() throws Exception {
        Path out = dir.resolve("ab");
        List<String> command = List.of("bash", "scripts/gate", "ab", "--base", "HEAD", "--quick", "--part", "codec",
                "--benchmark", "JettyFrameCodecBenchmark\\.decode", "--forks", "1", "--allocation-only",
                "--head-jvm-args", "-Dwsbench.inject.frameAllocationBytes=64", "--out", out.toString());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("ab.log").toFile());
        builder.environment().putAll(Map.of(
                "GATE_JAR", classpathJar().toString(),
                "GATE_MVN", "mvn -B -q -o",
                "GATE_RETRY_BUDGET", "0",
                // a test measures nothing, so it need not wait for JMH's machine-wide lock
                "JDK_JAVA_OPTIONS", "-Djmh.ignoreLock=true"));
        Process process = builder.start();
        if (!process.waitFor(8, TimeUnit.MINUTES)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError("scripts/gate ab did not finish within 8 minutes:\n" + Files.readString(dir.resolve("ab.log")));
        }
        String log = Files.readString(dir.resolve("ab.log"));

        assertThat(process.exitValue()).as(log).isEqualTo(1);
        assertThat(log).contains("times were not compared")
                .contains("allocation FAIL: 1 allocation regression: JettyFrameCodecBenchmark.decode [avgt] {")
                .contains("step 2/2 (round 1, head, codec)");
        assertThat(Files.readString(out.resolve("comparison.txt"))).contains("JettyFrameCodecBenchmark.decode").contains("regression");
        assertThat(Files.readString(out.resolve("head.run.txt"))).contains("-Dwsbench.inject.frameAllocationBytes=64").contains("load: ");
        assertThat(out.resolve("base.json")).isNotEmptyFile();
    }

    /** A jar holding only a manifest: WsbenchMain over this test's classpath, which JMH's forks inherit. */
    private Path classpathJar() throws IOException {
        Manifest manifest = new Manifest();
        Attributes attributes = manifest.getMainAttributes();
        attributes.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        attributes.put(Attributes.Name.MAIN_CLASS, io.wsbench.jmh.WsbenchMain.class.getName());
        attributes.put(Attributes.Name.CLASS_PATH, Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .map(entry -> Path.of(entry).toAbsolutePath().toUri().toString())
                .collect(Collectors.joining(" ")));
        Path jar = dir.resolve("classpath.jar");
        new JarOutputStream(Files.newOutputStream(jar), manifest).close();
        return jar;
    }

    @Test
    void badArgumentsExitTwoNamingTheCauseAndTheFix() throws Exception {
        Result forks = ab("--base", "HEAD", "--forks", "1", "--dry-run");
        assertThat(forks.exit()).isEqualTo(2);
        assertThat(forks.out()).contains("--forks must be a whole number from 2 to 50, was '1'").contains("at least 2 forks")
                .contains("--allocation-only) needs 1");

        Result base = ab("--base", "no-such-ref-anywhere", "--dry-run");
        assertThat(base.exit()).isEqualTo(2);
        assertThat(base.out()).contains("--base 'no-such-ref-anywhere' is not a commit").contains("git fetch");

        Result unknown = ab("--base", "HEAD", "-f", "3");
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.out()).contains("unknown argument '-f'").contains("preset is fixed");

        Result missing = ab("--base");
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.out()).contains("--base needs a value");

        Result part = ab("--base", "HEAD", "--part", "load", "--dry-run");
        assertThat(part.exit()).isEqualTo(2);
        assertThat(part.out()).contains("--part must be all, codec or roundtrip, was 'load'");
    }

    @Test
    void compareOptionsArePassedOnAndHelpIsUsage() throws Exception {
        Result r = ab("--base", "HEAD", "--forks", "2", "--threshold", "5", "--alpha", "0.05", "--dry-run");
        assertThat(r.exit()).as(r.out()).isZero();
        assertThat(r.out()).contains("scripts/gate compare --baseline results/tmp/gate/ab/base.json --current results/tmp/gate/ab/head.json --threshold 5 --alpha 0.05");

        Result help = ab("-h");
        assertThat(help.exit()).isZero();
        assertThat(help.out()).contains("usage: scripts/gate ab").contains("ABBA").contains("git merge-base HEAD main");
    }

    private static Result ab(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("bash", "scripts/gate", "ab"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            throw new AssertionError("scripts/gate ab " + String.join(" ", args) + " did not finish within 60 s");
        }
        return new Result(process.exitValue(), new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }
}
