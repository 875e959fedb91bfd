package io.wsbench.report;

import io.wsbench.testing.HlogFixtures;
import io.wsbench.testing.MarkdownTables;
import io.wsbench.testing.ReportJson;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code scripts/report --merge-hlog}, driven through {@link Report#run} on logs written by HdrHistogram itself. */
class HlogMergeTest {

    private static final long START_MILLIS = HlogFixtures.START_MILLIS;

    @TempDir
    Path dir;

    private String stdout;
    private String stderr;

    @Test
    void mergingTwoHostsLogsEqualsRecordingBothStreamsIntoOneHistogram() throws IOException {
        long[][] hostA = HlogFixtures.latencies(4, 5_000, 45, 1);
        long[][] hostB = HlogFixtures.latencies(3, 4_000, 120, 2);
        Path a = HlogFixtures.writeLog(dir.resolve("client-a.hlog"), hostA, START_MILLIS);
        Path b = HlogFixtures.writeLog(dir.resolve("client-b.hlog"), hostB, START_MILLIS + 700);
        Histogram expected = HlogFixtures.recordAll(hostA);
        expected.add(HlogFixtures.recordAll(hostB));
        Path out = dir.resolve("merged/all-clients.hlog");

        assertThat(run("--merge-hlog", out.toString(), a.toString(), b.toString())).isEqualTo(0);

        Histogram merged = HlogFiles.read(out).histogram();
        assertThat(merged).isEqualTo(expected);
        assertThat(merged.getTotalCount()).isEqualTo(4 * 5_000 + 3 * 4_000);
        for (HistogramIterationValue v : expected.recordedValues()) {
            assertThat(merged.getCountAtValue(v.getValueIteratedTo())).as("count at %d µs", v.getValueIteratedTo())
                    .isEqualTo(v.getCountAtValueIteratedTo());
        }
    }

    @Test
    void printsEachInputAndTheMergedPercentilesAndWritesTheDistribution() throws IOException {
        long[][] hostA = HlogFixtures.latencies(2, 10_000, 45, 3);
        long[][] hostB = HlogFixtures.latencies(2, 10_000, 120, 4);
        Path a = HlogFixtures.writeLog(dir.resolve("client-a.hlog"), hostA, START_MILLIS);
        Path b = HlogFixtures.writeLog(dir.resolve("client-b.hlog"), hostB, START_MILLIS + 250);
        Path out = dir.resolve("merged.hlog");

        run("--merge-hlog", out.toString(), a.toString(), b.toString());

        Histogram merged = HlogFiles.read(out).histogram();
        assertThat(MarkdownTables.headerOfFirstTable(stdout)).containsExactly(
                "log", "intervals", "count", "p50 µs", "p90 µs", "p99 µs", "p99.9 µs", "p99.99 µs", "max µs");
        assertThat(MarkdownTables.firstTableRow(stdout, "**merged**")).containsExactly("**merged**", "4", "40,000",
                Markdown.number(merged.getValueAtPercentile(50)), Markdown.number(merged.getValueAtPercentile(90)),
                Markdown.number(merged.getValueAtPercentile(99)), Markdown.number(merged.getValueAtPercentile(99.9)),
                Markdown.number(merged.getValueAtPercentile(99.99)), Markdown.number(merged.getMaxValue()));
        assertThat(MarkdownTables.firstTableRow(stdout, "client-a.hlog").subList(1, 3)).containsExactly("2", "20,000");
        // p99.99 needs 10,000 samples; each host has 20,000
        assertThat(stdout).doesNotContain(Markdown.UNRESOLVED);
        String hgrm = Files.readString(dir.resolve("merged.hgrm"));
        assertThat(hgrm).contains("Value     Percentile TotalCount").contains("Total count    =        40000]");
        assertThat(stderr).contains("wrote " + out);
    }

    @Test
    void theMergedLogSpansTheEarliestStartToTheLatestEnd() throws IOException {
        Path a = HlogFixtures.writeLog(dir.resolve("a.hlog"), HlogFixtures.latencies(2, 100, 50, 5), START_MILLIS);
        Path b = HlogFixtures.writeLog(dir.resolve("b.hlog"), HlogFixtures.latencies(3, 100, 50, 6), START_MILLIS + 5_000);
        Path out = dir.resolve("merged.hlog");

        run("--merge-hlog", out.toString(), a.toString(), b.toString());

        HlogFiles.LogSum merged = HlogFiles.read(out);
        assertThat(merged.intervals()).isEqualTo(1);
        assertThat(merged.startMillis()).isEqualTo(START_MILLIS);
        assertThat(merged.endMillis()).isEqualTo(START_MILLIS + 5_000 + 3 * 1_000);
    }

    @Test
    void valuesRecordedInNanosecondsArePrintedInMicroseconds() throws IOException {
        long[][] nanos = {{40_000, 40_000, 40_000, 2_000_000}};
        Path a = HlogFixtures.writeLog(dir.resolve("a.hlog"), nanos, START_MILLIS);

        run("--merge-hlog", dir.resolve("m.hlog").toString(), a.toString(), "--hlog-unit", "ns");

        List<String> merged = MarkdownTables.firstTableRow(stdout, "**merged**");
        assertThat(merged.get(3)).isEqualTo("40.0");
        assertThat(merged.get(8)).isEqualTo(Markdown.number(new Histogram(3).highestEquivalentValue(2_000_000) / 1000.0));
    }

    @Test
    void aMissingInputExitsWith2NamingIt() throws IOException {
        Path a = HlogFixtures.writeLog(dir.resolve("a.hlog"), HlogFixtures.latencies(1, 10, 50, 7), START_MILLIS);
        Path missing = dir.resolve("host-b.hlog");

        assertThat(run("--merge-hlog", dir.resolve("m.hlog").toString(), a.toString(), missing.toString()))
                .isEqualTo(ReportInputException.EXIT_STATUS);

        assertThat(stderr).contains(missing.toString()).contains("no such file");
        assertThat(dir.resolve("m.hlog")).doesNotExist();
    }

    @Test
    void aFileThatIsNotAnHlogExitsWith2NamingIt() throws IOException {
        Path json = new ReportJson().throughput("netty", "64", "binary", 1_000, 10).write(dir.resolve("run.json"));

        assertThat(run("--merge-hlog", dir.resolve("m.hlog").toString(), json.toString()))
                .isEqualTo(ReportInputException.EXIT_STATUS);

        assertThat(stderr).contains(json.toString()).contains("HistogramLogWriter");
    }

    @Test
    void anExistingOutputIsNotOverwrittenSinceItMayBeAClientsLog() throws IOException {
        Path a = HlogFixtures.writeLog(dir.resolve("a.hlog"), HlogFixtures.latencies(1, 10, 50, 8), START_MILLIS);
        Path b = HlogFixtures.writeLog(dir.resolve("b.hlog"), HlogFixtures.latencies(1, 10, 50, 9), START_MILLIS);
        byte[] before = Files.readAllBytes(a);

        assertThat(run("--merge-hlog", a.toString(), b.toString())).isEqualTo(ReportInputException.EXIT_STATUS);

        assertThat(stderr).contains(a + ": already exists");
        assertThat(Files.readAllBytes(a)).isEqualTo(before);
    }

    @Test
    void withoutInputsItExplainsTheUsage() {
        assertThat(run("--merge-hlog", dir.resolve("m.hlog").toString())).isEqualTo(ReportInputException.EXIT_STATUS);
        assertThat(stderr).contains("--merge-hlog needs OUT.hlog and at least one IN.hlog");
    }

    private int run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Report.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        stdout = out.toString(StandardCharsets.UTF_8);
        stderr = err.toString(StandardCharsets.UTF_8);
        return exit;
    }
}
