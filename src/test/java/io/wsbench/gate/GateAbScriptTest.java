package io.wsbench.gate;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code scripts/gate ab}'s argument handling and interleaving plan, through its {@code --dry-run}, which resolves the
 * commits and prints the JMH runs it would make without building or running anything.
 */
class GateAbScriptTest {

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
                .allMatch(l -> l.contains("-p server=netty") && !l.contains("-prof gc"));
    }

    @Test
    void fullPresetHasBothCodecSizesAndTwoServersBesideBothFloorsPinned() throws Exception {
        Result r = ab("--base", "HEAD", "--forks", "2", "--dry-run");

        assertThat(r.steps()).filteredOn(l -> l.contains(" codec:")).allMatch(l -> l.contains("-p payloadBytes=125,65536"));
        assertThat(r.steps()).filteredOn(l -> l.contains(" roundtrip:"))
                .isNotEmpty()
                .allMatch(l -> l.contains("-p server=netty,jetty,socket,rawtcp ") && l.contains("-p placement=shared"));
    }

    @Test
    void badArgumentsExitTwoNamingTheCauseAndTheFix() throws Exception {
        Result forks = ab("--base", "HEAD", "--forks", "1", "--dry-run");
        assertThat(forks.exit()).isEqualTo(2);
        assertThat(forks.out()).contains("--forks must be a whole number from 2 to 50, was '1'").contains("at least 2 forks");

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
        assertThat(r.out()).contains("scripts/gate compare --baseline results/gate/ab/base.json --current results/gate/ab/head.json --threshold 5 --alpha 0.05");

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
