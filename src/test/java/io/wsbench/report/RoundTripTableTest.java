package io.wsbench.report;

import io.wsbench.testing.MarkdownTables;
import io.wsbench.testing.ReportJson;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class RoundTripTableTest {

    @TempDir
    Path dir;

    private String stdout;
    private String stderr;

    @Test
    void ratiosAreEachServersRoundTripsOverEachFloorsInTheSameConfiguration() throws IOException {
        Path file = new ReportJson()
                .throughput("netty", "64", "binary", 30_000, 600).throughput("jetty", "64", "binary", 20_000, 400)
                .throughput("rawtcp", "64", "binary", 40_000, 800).throughput("socket", "64", "binary", 50_000, 900)
                .throughput("netty", "1024", "binary", 24_000, 500).throughput("jetty", "1024", "binary", 9_000, 200)
                .throughput("rawtcp", "1024", "binary", 30_000, 700)
                .write(dir.resolve("roundtrip.json"));

        assertThat(run(file)).isEqualTo(0);

        assertThat(row("64 B · binary", "netty"))
                .containsExactly("netty", "30,000 ± 600", "—", "—", "—", "—", "—", "0.60×", "0.75×");
        assertThat(row("64 B · binary", "jetty").get(8)).isEqualTo("0.50×");
        assertThat(row("64 B · binary", "rawtcp").subList(7, 9)).containsExactly("0.80×", "1.00×");
        assertThat(row("64 B · binary", "socket").get(7)).isEqualTo("1.00×");
        assertThat(row("1024 B · binary", "netty").get(8)).isEqualTo("0.80×");
        assertThat(row("1024 B · binary", "jetty").get(8)).isEqualTo("0.30×");
        assertThat(row("1024 B · binary", "netty").get(7)).as("no socket floor at 1024 B").isEqualTo("—");
        assertThat(stdout).contains("EchoRoundTripBenchmark.latency is not in this file");
    }

    @Test
    void latencyColumnsArePercentilesOfTheLatencyMethodInMicroseconds() throws IOException {
        Path file = new ReportJson()
                .throughput("netty", "64", "text", 30_000, 600).latency("netty", "64", "text", 50_000, 31.5, 88.2, 410)
                .throughput("rawtcp", "64", "text", 40_000, 800).latency("rawtcp", "64", "text", 50_000, 22.1, 61.0, 250)
                .throughput("socket", "64", "text", 60_000, 800).latency("socket", "64", "text", 50_000, 15.0, 40.0, 150)
                .write(dir.resolve("roundtrip.json"));

        run(file);

        assertThat(row("64 B · text", "netty"))
                .containsExactly("netty", "30,000 ± 600", "31.5", "88.2", "410.0", "—", "—", "0.50×", "0.75×");
        assertThat(stdout).contains("### 64 B · text\n")
                .contains("Same for every row: payloadBytes=64 · type=text · serverThreads=1 · transport=auto.")
                .contains("| server | round trips/s | p50 µs | p99 µs | p99.9 µs | server CPU µs/rt | client CPU µs/rt"
                        + " | vs socket | vs rawtcp |")
                .contains("JMH 1.37 · OpenJDK 64-Bit Server VM 17.0.15 · 1 fork · warmup 2 × 1 s · measurement 1 × 1 s")
                .contains("CPU µs/rt —: run the throughput method with -prof io.wsbench.jmh.EchoMetricsProfiler")
                .doesNotContain("vs FLOOR");
    }

    @Test
    void otherTimeAndRateUnitsAreConvertedToMicrosecondsAndPerSecond() throws IOException {
        Path file = new ReportJson()
                .throughput(ReportJson.roundTripParams("netty", "64", "text"), 30.0, 0.5, "ops/ms")
                .latency(ReportJson.roundTripParams("netty", "64", "text"), 50_000, 31_500, 88_200, 410_000, "ns/op")
                .write(dir.resolve("roundtrip.json"));

        run(file);

        assertThat(row("64 B · text", "netty"))
                .containsExactly("netty", "30,000 ± 500", "31.5", "88.2", "410.0", "—", "—", "—", "—");
    }

    @Test
    void percentilesWithTooFewSamplesAreMarkedAsTheSlowestSample() throws IOException {
        Path file = new ReportJson()
                .latency("netty", "64", "binary", 500, 31.5, 88.2, 410)
                .write(dir.resolve("roundtrip.json"));

        run(file);

        assertThat(row("64 B · binary", "netty").subList(2, 5)).containsExactly("31.5", "88.2", "410.0†");
        assertThat(stdout).contains("†: fewer samples than the percentile needs");
    }

    @Test
    void serversComeInTheOrderNettyJettyTyrusThenOthersAlphabeticallyThenTheFloors() throws IOException {
        ReportJson json = new ReportJson();
        for (String server : List.of("zeta", "rawtcp", "tyrus", "alpha", "netty", "jetty")) {
            json.throughput(server, "64", "binary", 10_000, 100);
        }
        run(json.write(dir.resolve("roundtrip.json")));

        List<String> servers = stdout.lines().filter(l -> l.startsWith("| ") && !l.startsWith("| server"))
                .map(l -> l.substring(2, l.indexOf(" |"))).toList();
        assertThat(servers).containsExactly("netty", "jetty", "tyrus", "alpha", "zeta", "rawtcp");
    }

    @Test
    void aConfigurationMissingBesideItsSiblingsIsShownAsFailed() throws IOException {
        ReportJson json = new ReportJson();
        for (String payload : List.of("64", "1024")) {
            for (String server : List.of("netty", "tyrus", "rawtcp")) {
                if (server.equals("tyrus") && payload.equals("1024")) {
                    continue; // its trial failed: JMH wrote neither method's result
                }
                json.throughput(server, payload, "text", 10_000, 100).latency(server, payload, "text", 50_000, 30, 80, 400);
            }
        }
        run(json.write(dir.resolve("roundtrip.json")));

        assertThat(row("1024 B · text", "tyrus"))
                .containsExactly("tyrus", "failed (see jmh log)", "failed (see jmh log)", "—", "—", "—", "—", "—", "—");
        assertThat(row("64 B · text", "tyrus").get(1)).isEqualTo("10,000 ± 100");
        assertThat(stdout).contains("- failed (see jmh log): JMH ran the other combinations");
    }

    @Test
    void aTrialCutShortByAFailureIsMarkedAsPartial() throws IOException {
        Path file = new ReportJson()
                .throughput("netty", "64", "text", 30_000, 600).throughput("rawtcp", "64", "text", 40_000, 800)
                .write(dir.resolve("roundtrip.json"));
        // JMH keeps the iterations a failing fork finished: one of the two planned here.
        Files.writeString(file, Files.readString(file).replaceFirst("\"forks\": 1", "\"forks\": 2"));

        run(file);

        assertThat(row("64 B · text", "netty").get(1)).isEqualTo("30,000 ± 600 ‡");
        assertThat(row("64 B · text", "rawtcp").get(1)).isEqualTo("40,000 ± 800");
        assertThat(stdout).contains("- ‡: the trial failed part-way");
    }

    @Test
    void aForkThatMovedMoreThan15PercentMarksTheScoreAndTheNoteNamesItWithEveryForksMean() throws IOException {
        Path file = new ReportJson()
                .throughput("netty", "64", "binary", 30_000, 600).throughput("jetty", "64", "binary", 20_000, 400)
                .throughput("rawtcp", "64", "binary", 40_000, 800)
                .write(dir.resolve("roundtrip.json"));
        ForkScores.set(file, "throughput", "netty", new double[] {100_000, 101_000, 99_000}, new double[] {55_000, 90_000, 127_000});
        // 15 % exactly, and less: settled
        ForkScores.set(file, "throughput", "jetty", new double[] {40_000, 43_000, 46_000}, new double[] {50_000, 49_000, 48_000});
        ForkScores.set(file, "throughput", "rawtcp", new double[] {40_000, 38_000, 30_000}, new double[] {40_000, 41_000, 40_000});

        run(file);

        assertThat(row("64 B · binary", "netty").get(1)).isEqualTo("30,000 ± 600 ↕");
        assertThat(row("64 B · binary", "jetty").get(1)).isEqualTo("20,000 ± 400");
        assertThat(row("64 B · binary", "rawtcp").get(1)).isEqualTo("40,000 ± 800 ↕");
        assertThat(stdout).contains("- ↕ after a score: in some fork the last measured iteration is more than 15 % from the first")
                .contains("\n  - netty (64 B · binary) fork 2: 55,000 → 127,000 (+130.9 %); fork means 100,000 · 90,667\n")
                .contains("\n  - rawtcp (64 B · binary) fork 1: 40,000 → 30,000 (-25.0 %); fork means 36,000 · 40,333\n")
                .doesNotContain("jetty (64 B");
    }

    @Test
    void settledForksGetNoMarkAndNoNote() throws IOException {
        Path file = new ReportJson()
                .throughput("netty", "64", "binary", 30_000, 600).throughput("rawtcp", "64", "binary", 40_000, 800)
                .write(dir.resolve("roundtrip.json"));
        ForkScores.set(file, "throughput", "netty", new double[] {29_000, 31_000, 30_500}, new double[] {30_000, 29_500, 31_000});

        run(file);

        assertThat(row("64 B · binary", "netty").get(1)).isEqualTo("30,000 ± 600");
        assertThat(stdout).doesNotContain(SteadyState.MARK);
    }

    @Test
    void theJitColumnShowsTheCompilersCpuPerRoundTripWhenSomeRowHasIt() throws IOException {
        Path file = new ReportJson()
                .load(ReportJson.ROUND_TRIP + ".throughput", ReportJson.roundTripParams("netty", "64", "binary"), 30_000, 600,
                        Map.of("cpu.server.usPerMsg", 20.0, "cpu.client.usPerMsg", 15.0, "cpu.jit.usPerMsg", 3.25))
                .throughput("rawtcp", "64", "binary", 40_000, 800)
                .write(dir.resolve("roundtrip.json"));
        ForkScores.set(file, "throughput", "netty", new double[] {30_000}); // load() writes no iterations

        run(file);

        assertThat(MarkdownTables.header(stdout, "64 B · binary")).containsExactly("server", "round trips/s", "p50 µs",
                "p99 µs", "p99.9 µs", "server CPU µs/rt", "client CPU µs/rt", "JIT CPU µs/rt", "vs socket", "vs rawtcp");
        assertThat(row("64 B · binary", "netty"))
                .containsExactly("netty", "30,000 ± 600", "—", "—", "—", "20.0", "15.0", "3.25", "—", "0.75×");
        assertThat(row("64 B · binary", "rawtcp").get(7)).isEqualTo("—");
        assertThat(stdout).contains("JIT CPU µs/rt is the compiler threads' CPU per round trip in the measured iterations");
    }

    @Test
    void eachPlacementIsAConfigurationOfItsOwnDividedByItsOwnFloors() throws IOException {
        ReportJson json = new ReportJson();
        placement(json, "shared", 30_000, 40_000, 50_000);
        placement(json, "split:0/1", 45_000, 50_000, 90_000);

        run(json.write(dir.resolve("roundtrip.json")));

        assertThat(stdout).contains("### 64 B · binary · placement=shared\n").contains("### 64 B · binary · placement=split:0/1\n")
                .contains("Same for every row: payloadBytes=64 · type=binary · serverThreads=1 · transport=auto.");
        assertThat(row("64 B · binary · placement=shared", "netty").subList(7, 9)).containsExactly("0.60×", "0.75×");
        assertThat(row("64 B · binary · placement=split:0/1", "netty").subList(7, 9)).containsExactly("0.50×", "0.90×");
    }

    @Test
    void aPlacementTheWholeFileSharesIsSaidOnceAboveTheTables() throws IOException {
        ReportJson json = new ReportJson();
        placement(json, "shared", 30_000, 40_000, 50_000);

        run(json.write(dir.resolve("roundtrip.json")));

        assertThat(stdout).contains("### 64 B · binary\n")
                .contains("Same for every row: payloadBytes=64 · type=binary · placement=shared · serverThreads=1 · transport=auto.");
    }

    @Test
    void withoutAFloorResultItsRatioIsADashWithAFootnote() throws IOException {
        Path file = new ReportJson()
                .throughput("netty", "64", "binary", 30_000, 600).throughput("jetty", "64", "binary", 20_000, 400)
                .write(dir.resolve("roundtrip.json"));

        run(file);

        assertThat(row("64 B · binary", "netty").subList(7, 9)).containsExactly("—", "—");
        assertThat(row("64 B · binary", "jetty").subList(7, 9)).containsExactly("—", "—");
        assertThat(stdout).contains("vs FLOOR —: no throughput of that floor for this configuration in this file");
    }

    @Test
    void readsTheJsonOfARealTinyJmhRun() throws IOException {
        // Written by: java -jar target/benchmarks.jar EchoRoundTripBenchmark -p server=netty,rawtcp
        //   -p payloadBytes=64 -p type=binary -f 1 -wi 0 -i 1 -r 1s -rf json (rawtcp's latency had 56 samples)
        Path file = dir.resolve("real.json");
        try (InputStream in = getClass().getResourceAsStream("roundtrip-netty-rawtcp-64-binary.json")) {
            Files.copy(in, file);
        }

        assertThat(run(file)).isEqualTo(0);

        assertThat(row("64 B · binary", "netty"))
                .containsExactly("netty", "25,535", "36.4", "1,627", "8,167", "—", "—", "—", "1.48×");
        assertThat(row("64 B · binary", "rawtcp"))
                .containsExactly("rawtcp", "17,294", "376.6", "951,058†", "951,058†", "—", "—", "—", "1.00×");
        assertThat(stdout).contains(Markdown.NO_ERROR_NOTE).contains(Markdown.UNRESOLVED_NOTE);
    }

    @Test
    void printsASectionPerFile() throws IOException {
        Path first = new ReportJson().throughput("netty", "64", "binary", 1_000, 10).write(dir.resolve("first.json"));
        Path second = new ReportJson().throughput("netty", "64", "binary", 2_000, 10).write(dir.resolve("second.json"));

        assertThat(run(first, second)).isEqualTo(0);

        assertThat(stdout).contains("## Round trips: first.json").contains("## Round trips: second.json")
                .contains("1,000 ± 10").contains("2,000 ± 10");
    }

    @Test
    void aMissingFileExitsWith2NamingItAndPrintsNoTable() throws IOException {
        Path good = new ReportJson().throughput("netty", "64", "binary", 1_000, 10).write(dir.resolve("good.json"));
        Path missing = dir.resolve("missing.json");

        assertThat(run(good, missing)).isEqualTo(ReportInputException.EXIT_STATUS);

        assertThat(stderr).contains(missing.toString()).contains("no such file").contains("-rf json");
        assertThat(stdout).isEmpty();
    }

    @Test
    void aFileThatIsNotJmhJsonExitsWith2NamingIt() throws IOException {
        Path text = Files.writeString(dir.resolve("table.md"), "| server | round trips/s |\n");

        assertThat(run(text)).isEqualTo(ReportInputException.EXIT_STATUS);

        assertThat(stderr).contains(text.toString()).contains("not valid JSON");
    }

    @Test
    void aFileWithoutRoundTripResultsExitsWith2NamingItAndWhatItHas() throws IOException {
        Path other = new ReportJson().other("io.wsbench.codec.NettyFrameCodecBenchmark.decode", 120)
                .write(dir.resolve("codec.json"));

        assertThat(run(other)).isEqualTo(ReportInputException.EXIT_STATUS);

        assertThat(stderr).contains(other.toString()).contains("no EchoRoundTripBenchmark results")
                .contains("NettyFrameCodecBenchmark.decode").contains("scripts/bench");
    }

    @Test
    void noArgumentsPrintsUsageAndExitsWith2() {
        assertThat(run()).isEqualTo(ReportInputException.EXIT_STATUS);
        assertThat(stderr).startsWith("usage: RoundTripTable RESULTS.json");
    }

    private int run(Path... files) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        String[] args = Arrays.stream(files).map(Path::toString).toArray(String[]::new);
        int exit = RoundTripTable.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        stdout = out.toString(StandardCharsets.UTF_8);
        stderr = err.toString(StandardCharsets.UTF_8);
        return exit;
    }

    /** netty and the two floors at 64 B binary, their threads placed as {@code placement} says. */
    private static void placement(ReportJson json, String placement, double netty, double rawtcp, double socket) {
        for (Map.Entry<String, Double> server : Map.of("netty", netty, "rawtcp", rawtcp, "socket", socket).entrySet()) {
            Map<String, String> params = new HashMap<>(ReportJson.roundTripParams(server.getKey(), "64", "binary"));
            params.put("placement", placement);
            json.throughput(params, server.getValue(), 100, "ops/s");
        }
    }

    /** The cells of {@code server}'s row in the table under the heading that starts with {@code heading}. */
    private List<String> row(String heading, String server) {
        return MarkdownTables.row(stdout, heading, server);
    }
}
