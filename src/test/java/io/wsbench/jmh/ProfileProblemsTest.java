package io.wsbench.jmh;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * scripts/lib.sh's profile_problems, what makes scripts/profile exit 1: a failed trial in the JMH log, a trial folder
 * without the profile it should hold, or no trial folder at all. JMH itself exits 0 after a failed trial.
 */
class ProfileProblemsTest {
    private static final String FLAME_GRAPHS = "flame-*.html";
    private static final String FAILED_TRIAL_LOG = """
            # Benchmark: io.wsbench.roundtrip.EchoRoundTripBenchmark.throughput
            # Parameters: (payloadBytes = 64, server = nosuch, type = text)

            # Fork: 1 of 1
            # Warmup Iteration   1: <failure>

            java.lang.IllegalArgumentException: unknown server 'nosuch': valid servers are netty, jetty (e.g. -p server=netty)
            \tat io.wsbench.servers.EchoServers.factory(EchoServers.java:206)

            Benchmark  Mode  Cnt  Score   Error  Units
            """;
    private static final String CLEAN_LOG = """
            # Benchmark: io.wsbench.idle.IdleConnectionsBenchmark.echo
            # Parameters: (connections = 10, server = netty)

            # Fork: 1 of 1
            # Warmup Iteration   1: 9.9 ops/s
            Iteration   1: 9.9 ops/s
            """;

    @Test
    void aFailedTrialAndItsMissingFlameGraphAreBothNamed(@TempDir Path run) throws Exception {
        Files.writeString(run.resolve("jmh.log"), FAILED_TRIAL_LOG, StandardCharsets.UTF_8);
        Path trial = Files.createDirectory(run.resolve("EchoRoundTripBenchmark.throughput-thrpt-71f6e0ef"));
        Files.writeString(trial.resolve(ShortFolderProfiler.TRIAL_FILE), "benchmark: x\n", StandardCharsets.UTF_8);

        List<String> problems = problems(run, FLAME_GRAPHS);

        assertThat(problems).hasSize(2);
        assertThat(problems.get(0)).contains("EchoRoundTripBenchmark.throughput", "server = nosuch", "Fork: 1 of 1",
                "unknown server 'nosuch'");
        assertThat(problems.get(1)).contains(trial.toString(), "no " + FLAME_GRAPHS);
    }

    @Test
    void aTrialThatRanButWroteNoFlameGraphIsNamed(@TempDir Path run) throws Exception {
        Files.writeString(run.resolve("jmh.log"), CLEAN_LOG, StandardCharsets.UTF_8);
        Path written = Files.createDirectory(run.resolve("IdleConnectionsBenchmark.echo-thrpt-00000001"));
        Files.writeString(written.resolve("flame-cpu-forward.html"), "<html/>", StandardCharsets.UTF_8);
        Path empty = Files.createDirectory(run.resolve("IdleConnectionsBenchmark.echo-thrpt-00000002"));

        assertThat(problems(run, FLAME_GRAPHS)).singleElement().asString().contains(empty.toString(), "no " + FLAME_GRAPHS);
    }

    @Test
    void noTrialFolderAtAllIsNamed(@TempDir Path run) throws Exception {
        Files.writeString(run.resolve("jmh.log"), "No matching benchmarks. Miss-spelled regexp?\n", StandardCharsets.UTF_8);

        assertThat(problems(run, FLAME_GRAPHS)).singleElement().asString().contains("no trial folder", FLAME_GRAPHS);
    }

    @Test
    void everyTrialWithItsProfileIsNoProblem(@TempDir Path run) throws Exception {
        Files.writeString(run.resolve("jmh.log"), CLEAN_LOG, StandardCharsets.UTF_8);
        Path trial = Files.createDirectory(run.resolve("IdleConnectionsBenchmark.echo-thrpt-00000001"));
        Files.writeString(trial.resolve("profile.jfr"), "jfr", StandardCharsets.UTF_8);

        assertThat(problems(run, "profile.jfr")).isEmpty();
        assertThat(problems(run, "")).as("--gc alone expects no file").isEmpty();
        assertThat(problems(run, FLAME_GRAPHS)).as("a JFR recording is not a flame graph").hasSize(1);
    }

    private static List<String> problems(Path run, String pattern) throws Exception {
        Process bash = new ProcessBuilder("bash", "-c", "source \"$0\" && profile_problems \"$1\" \"$2\"",
                Path.of("scripts/lib.sh").toAbsolutePath().toString(), run.toString(), pattern)
                .redirectErrorStream(true).start();
        assertThat(bash.waitFor(30, TimeUnit.SECONDS)).as("profile_problems finished").isTrue();
        List<String> out = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        assertThat(bash.exitValue()).as(String.join("\n", out)).isZero();
        return out;
    }
}
