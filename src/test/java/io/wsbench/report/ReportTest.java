package io.wsbench.report;

import io.wsbench.testing.HlogFixtures;
import io.wsbench.testing.MarkdownTables;
import io.wsbench.testing.ReportJson;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code scripts/report}, driven through {@link Report#run}. */
class ReportTest {

    private static final Pattern IMAGE = Pattern.compile("!\\[([^]]*)]\\(([^)]+\\.png)\\)");

    @TempDir
    Path dir;

    private String stdout;
    private String stderr;

    @Test
    void aRoundTripRunGetsItsTableAndLatencyChartWrittenBesideTheJson() throws IOException {
        Path run = Files.createDirectories(dir.resolve("results/bench/20240501-100000"));
        Path json = roundTrip().write(run.resolve("roundtrip.json"));
        Files.writeString(run.resolve("run.md"), "- command: `java -jar target/benchmarks.jar EchoRoundTripBenchmark -f 2`\n");

        assertThat(run(json.toString())).isEqualTo(0);

        Path report = run.resolve("report.md");
        assertThat(report).exists();
        assertThat(Files.readString(report)).isEqualTo(stdout);
        assertThat(stdout).contains("## Round trips: roundtrip.json")
                .contains("- command: `java -jar target/benchmarks.jar EchoRoundTripBenchmark -f 2`");
        assertThat(MarkdownTables.row(stdout, "64 B · binary", "netty")).containsExactly(
                "netty", "30,000 ± 600", "31.5", "88.2", "410.0", "—", "—", "—", "0.75×");
        List<Path> images = images(report);
        assertThat(images).containsExactly(
                run.resolve("charts/roundtrip_roundtrip-latency.png"));
        ChartsTest.assertPng(images.get(0));
        assertThat(Path.of(images.get(0).toString().replace(".png", ".svg"))).as("SVG only with --svg").doesNotExist();
    }

    @Test
    void aLoadRunWithHlogsGetsTablesAndBothKindsOfChartInTheOutputDirectory() throws IOException {
        ReportJson json = new ReportJson();
        int[] connections = {1, 10, 100, 1000};
        for (int c : connections) {
            json.load(ReportJson.loadParams("netty", "closed", c, "0"), 20_000.0 * Math.log10(10 * c), 300,
                    LoadReportTest.allMetrics(50, 30));
            json.load(ReportJson.loadParams("jetty", "closed", c, "0"), 15_000.0 * Math.log10(10 * c), 300,
                    LoadReportTest.allMetrics(50, 30));
        }
        Path input = json.write(dir.resolve("load.json"));
        Path hlogs = Files.createDirectories(dir.resolve("hlog"));
        for (int c : connections) {
            HlogFixtures.writeLog(hlogs.resolve("EchoLoadBenchmark.echo-server=netty-connections=" + c + ".hlog"),
                    HlogFixtures.latencies(3, 5_000, 200 + c, c), 1_714_557_600_000L);
        }
        Path out = dir.resolve("report");

        assertThat(run(input.toString(), "--out", out.toString(), "--hlog", hlogs.toString())).isEqualTo(0);

        assertThat(stdout).contains("## Load: load.json").contains("### Charts: load.json");
        assertThat(MarkdownTables.row(stdout, "closed loop · 100 connections", "netty").get(3)).isEqualTo("410.0");
        List<Path> images = images(out.resolve("report.md"));
        assertThat(images).hasSize(connections.length + 1);
        assertThat(images).filteredOn(p -> p.getFileName().toString().startsWith("load_load-latency_connections-"))
                .hasSize(connections.length);
        assertThat(images).filteredOn(p -> p.getFileName().toString().equals("load_load-throughput.png")).hasSize(1);
        for (Path image : images) {
            ChartsTest.assertPng(image);
        }
        assertThat(stderr).doesNotContain("ignored");
    }

    @Test
    void anEmptyHlogOfAFailedForkIsLeftOutWithAWarningNotAFailure() throws IOException {
        Path input = new ReportJson()
                .load(ReportJson.loadParams("netty", "closed", 10, "0"), 50_000, 300, LoadReportTest.allMetrics(50, 30))
                .write(dir.resolve("load.json"));
        Path hlogs = Files.createDirectories(dir.resolve("hlog"));
        HlogFixtures.writeLog(hlogs.resolve("EchoLoadBenchmark.echo-server=netty-connections=10-fork1.hlog"),
                HlogFixtures.latencies(2, 1_000, 200, 1), 1_714_557_600_000L);
        Path empty = HlogFixtures.writeLog(hlogs.resolve("EchoLoadBenchmark.echo-server=netty-connections=10-fork2.hlog"),
                new long[0][], 1_714_557_600_000L);

        assertThat(run(input.toString(), "--out", dir.resolve("report").toString(), "--hlog", hlogs.toString()))
                .isEqualTo(0);

        assertThat(stderr).contains(empty + ": no interval histograms (its fork failed")
                .doesNotContain("fork1.hlog");
    }

    @Test
    void aScenariosOwnLogInTheDirectoryIsNotTakenForTheLatency() throws IOException {
        Path input = new ReportJson()
                .load(ReportJson.loadParams("netty", "closed", 10, "0"), 50_000, 300, LoadReportTest.allMetrics(50, 30))
                .write(dir.resolve("load.json"));
        Path hlogs = Files.createDirectories(dir.resolve("hlog"));
        HlogFixtures.writeLog(hlogs.resolve("EchoLoadBenchmark.echo-server=netty-connections=10-fork1.hlog"),
                HlogFixtures.latencies(2, 1_000, 200, 1), 1_714_557_600_000L);
        // Empty, so that reading it as a latency log would warn: it is left alone instead.
        HlogFixtures.writeLog(hlogs.resolve("EchoLoadBenchmark.echo-server=netty-connections=10-handshake-fork1.hlog"),
                new long[0][], 1_714_557_600_000L);

        assertThat(run(input.toString(), "--out", dir.resolve("report").toString(), "--hlog", hlogs.toString()))
                .isEqualTo(0);

        assertThat(stderr).doesNotContain("handshake-fork1.hlog");
    }

    @Test
    void anHlogThatFitsNoResultIsReportedAndTheChartFallsBackToTheMetrics() throws IOException {
        Path input = new ReportJson()
                .load(ReportJson.loadParams("netty", "closed", 10, "0"), 50_000, 300, LoadReportTest.allMetrics(50, 30))
                .load(ReportJson.loadParams("netty", "closed", 100, "0"), 70_000, 300, LoadReportTest.allMetrics(50, 30))
                .write(dir.resolve("load.json"));
        Path stray = HlogFixtures.writeLog(dir.resolve("server=netty.hlog"), HlogFixtures.latencies(1, 100, 50, 1), 0);

        assertThat(run(input.toString(), "--hlog", stray.toString())).isEqualTo(0);

        assertThat(stderr).contains(stray + ": its name matches no result");
    }

    @Test
    void aMissingJsonExitsWith2NamingItAndWritesNothing() {
        Path missing = dir.resolve("results/roundtrip.json");

        assertThat(run(missing.toString())).isEqualTo(ReportInputException.EXIT_STATUS);

        assertThat(stderr).contains(missing.toString()).contains("no such file").contains("scripts/report -h");
        assertThat(stdout).isEmpty();
        assertThat(dir.resolve("results/report.md")).doesNotExist();
    }

    @Test
    void aJsonWithNeitherBenchmarkExitsWith2NamingItAndWritesNothingForTheOthers() throws IOException {
        Path good = roundTrip().write(dir.resolve("roundtrip.json"));
        Path codec = new ReportJson().other("io.wsbench.codec.NettyFrameCodecBenchmark.decode", 120)
                .write(dir.resolve("codec.json"));

        assertThat(run(good.toString(), codec.toString())).isEqualTo(ReportInputException.EXIT_STATUS);

        assertThat(stderr).contains(codec.toString())
                .contains("no EchoRoundTripBenchmark or EchoLoadBenchmark or BroadcastBenchmark or IdleConnectionsBenchmark results")
                .contains("NettyFrameCodecBenchmark.decode");
        assertThat(dir.resolve("report.md")).doesNotExist();
        assertThat(dir.resolve("charts")).doesNotExist();
    }

    @Test
    void aMissingHlogDirectoryExitsWith2NamingIt() throws IOException {
        Path json = roundTrip().write(dir.resolve("roundtrip.json"));
        Path missing = dir.resolve("target/hlog");

        assertThat(run(json.toString(), "--hlog", missing.toString())).isEqualTo(ReportInputException.EXIT_STATUS);

        assertThat(stderr).contains(missing.toString()).contains("no such file or directory");
    }

    @Test
    void badCommandLinesExitWith2SayingWhatIsWrong() throws IOException {
        Path json = roundTrip().write(dir.resolve("roundtrip.json"));

        assertThat(run(json.toString(), "--format", "html")).isEqualTo(ReportInputException.EXIT_STATUS);
        assertThat(stderr).contains("unknown option '--format'");
        assertThat(run(json.toString(), "--out")).isEqualTo(ReportInputException.EXIT_STATUS);
        assertThat(stderr).contains("--out needs a value");
        assertThat(run("--out", dir.toString())).isEqualTo(ReportInputException.EXIT_STATUS);
        assertThat(stderr).contains("no JMH JSON file given");
        assertThat(run(json.toString(), "--hlog-unit", "s")).isEqualTo(ReportInputException.EXIT_STATUS);
        assertThat(stderr).contains("hlog unit 's' is not one of ns, us, ms");
    }

    private static ReportJson roundTrip() {
        return new ReportJson()
                .throughput("netty", "64", "binary", 30_000, 600).latency("netty", "64", "binary", 50_000, 31.5, 88.2, 410)
                .throughput("rawtcp", "64", "binary", 40_000, 800).latency("rawtcp", "64", "binary", 50_000, 22.1, 61, 250);
    }

    /** The PNG files report.md links to, resolved against its directory. */
    private static List<Path> images(Path report) throws IOException {
        Matcher m = IMAGE.matcher(Files.readString(report));
        List<Path> images = new ArrayList<>();
        while (m.find()) {
            images.add(report.getParent().resolve(m.group(2)));
        }
        return images;
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
