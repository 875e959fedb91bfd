package io.wsbench.jmh;

import static org.assertj.core.api.Assertions.assertThat;

import io.wsbench.testing.JavaProcess;
import io.wsbench.testing.MachineRequirement;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import one.profiler.AsyncProfilerLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * {@link ShortFolderAsyncProfiler} on a trial whose JMH name is longer than a file name may be (the idle benchmark's
 * parameters), in a forked JVM as scripts/profile runs it: the flame graphs land in {@code Class.method-mode-HASH}
 * beside {@value ShortFolderProfiler#TRIAL_FILE}. It samples with itimer, so it needs no perf event access.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ShortFolderProfilerTest {

    @Test
    void aTrialWithATooLongJmhNameWritesItsFlameGraphsIntoAShortFolder(@TempDir Path dir) throws Exception {
        MachineRequirement.require(AsyncProfilerLoader.isSupported(), "an async-profiler library for this OS and CPU in ap-loader");
        Process loader = new ProcessBuilder(JavaProcess.command(AsyncProfilerLoader.class.getName(), "agentpath")).start();
        String library = JavaProcess.firstLine(loader, 60);
        assertThat(loader.waitFor(60, TimeUnit.SECONDS)).as("ap-loader printed its library and exited").isTrue();

        Collection<RunResult> results = new Runner(new OptionsBuilder()
                .include("io.wsbench.idle.IdleConnectionsBenchmark.echo")
                .param("server", "netty")
                .param("connections", "10")
                .forks(1)
                .warmupIterations(1)
                .warmupTime(TimeValue.milliseconds(300))
                .measurementIterations(1)
                .measurementTime(TimeValue.milliseconds(300))
                .shouldFailOnError(true)
                .jvmArgsPrepend("-Xms512m", "-Xmx512m")
                .addProfiler(ShortFolderAsyncProfiler.class, "libPath=" + library + ";event=itimer;output=flamegraph;dir=" + dir)
                .build()).run();

        BenchmarkParams trial = results.iterator().next().getParams();
        assertThat(trial.id()).as("JMH's own folder name for this trial").hasSizeGreaterThan(255);
        Path folder = dir.resolve(ShortFolderProfiler.folderName(trial));
        try (Stream<Path> written = Files.list(dir)) {
            assertThat(written).containsExactly(folder);
        }
        assertThat(folder.getFileName().toString()).matches("IdleConnectionsBenchmark\\.echo-thrpt-[0-9a-f]{8}");
        assertThat(folder.resolve("flame-itimer-forward.html")).isNotEmptyFile();
        assertThat(folder.resolve("flame-itimer-reverse.html")).isNotEmptyFile();
        assertThat(Files.readString(folder.resolve(ShortFolderProfiler.TRIAL_FILE), StandardCharsets.UTF_8))
                .contains("benchmark: io.wsbench.idle.IdleConnectionsBenchmark.echo\n", "mode: thrpt\n",
                        "connections = 10", "server = netty");
    }
}
