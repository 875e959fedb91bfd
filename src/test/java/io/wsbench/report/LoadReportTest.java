package io.wsbench.report;

import io.wsbench.results.JmhResultFile;
import io.wsbench.testing.HlogFixtures;
import io.wsbench.testing.MarkdownTables;
import io.wsbench.testing.ReportJson;

import io.wsbench.report.Charts.NamedChart;
import io.wsbench.report.HlogFiles.ValueUnit;
import io.wsbench.results.JmhResultFile.Result;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class LoadReportTest {

    private static final String CLOSED_100 = "closed loop · 100 connections · 64 B · binary";

    @TempDir
    Path dir;

    @Test
    void aTableHasAColumnPerMetricWithItsUnitAndTheProfilersValues() throws IOException {
        String md = markdown(new ReportJson()
                .load(ReportJson.loadParams("netty", "closed", 100, "0"), 84_210.4, 1_530.2, allMetrics(55, 40))
                .load(ReportJson.loadParams("rawtcp", "closed", 100, "0"), 150_000, 2_000, allMetrics(30, 45)));

        assertThat(MarkdownTables.header(md, CLOSED_100)).containsExactly("server", "server CPU µs/msg", "msg/s", "p50 µs",
                "p90 µs", "p99 µs", "p99.9 µs", "max µs", "send lag p99 µs", "server % core", "client % core",
                "client CPU µs/msg", "JVM (GC+JIT+other) µs/msg", "JIT CPU µs/msg", "heap after GC MiB", "RSS MiB",
                "server RSS MiB", "alloc B/msg", "valid");
        assertThat(MarkdownTables.row(md, CLOSED_100, "netty")).containsExactly("netty", "6.53", "84,210 ± 1,530", "410.0",
                "702.5", "1,250", "3,100", "12,800", "12.0", "55.0", "40.0", "4.75", "0.438", "0.125", "38.2", "412.7", "in JVM",
                "296.0", "n/a");
        assertThat(md).contains("### closed loop · 100 connections · 64 B · binary\n")
                .contains("Same for every row: loadModel=closed · connections=100 · payloadBytes=64 · type=binary · rate=0 · "
                        + "inFlight=1 · serverThreads=1 · target=embedded · transport=auto.");
        assertThat(md).contains("valid n/a: closed loop").doesNotContain("not in the JSON")
                .contains("JIT CPU µs/msg is the compiler's part of it in the measured iterations");
    }

    @Test
    void aServerInItsOwnProcessShowsItsOwnRssAndOneInTheJvmSaysSo() throws IOException {
        Map<String, Double> fastapi = new java.util.HashMap<>(allMetrics(25, 40));
        fastapi.put("rss.server", 45.5);
        String md = markdown(new ReportJson()
                .load(ReportJson.loadParams("fastapi", "closed", 100, "0"), 12_000, 300, fastapi)
                .load(ReportJson.loadParams("netty", "closed", 100, "0"), 84_000, 1_500, allMetrics(55, 40)));

        int serverRss = MarkdownTables.header(md, CLOSED_100).indexOf("server RSS MiB");
        assertThat(MarkdownTables.row(md, CLOSED_100, "fastapi").get(serverRss)).isEqualTo("45.5");
        assertThat(MarkdownTables.row(md, CLOSED_100, "netty").get(serverRss)).isEqualTo("in JVM");
        assertThat(md).contains("in JVM (server RSS): the server runs inside the benchmark JVM");
    }

    @Test
    void metricsARunDidNotRecordShowAsDashesAndTheNotesNameTheProfilerThatAddsThem() throws IOException {
        String md = markdown(new ReportJson()
                .load(ReportJson.loadParams("jetty", "open", 100, "20000"), 19_950, 40, Map.of())
                .load(ReportJson.loadParams("netty", "open", 100, "20000"), 19_990, 30,
                        Map.of("latency.p50", 400.0, "gc.alloc.rate.norm", 310.0)));

        assertThat(MarkdownTables.row(md, "open loop", "jetty")).containsExactly("jetty", "—", "19,950 ± 40",
                "—", "—", "—", "—", "—", "—", "—", "—", "—", "—", "—", "—", "in JVM", "—", "—");
        assertThat(MarkdownTables.row(md, "open loop", "netty").subList(2, 5)).containsExactly("19,990 ± 30", "400.0", "—");
        assertThat(MarkdownTables.header(md, "open loop")).as("no result has the JIT's CPU").doesNotContain("JIT CPU µs/msg");
        assertThat(md).contains("- —: not in the JSON; gc.alloc.rate.norm comes from -prof gc; cpu.client.percentOfCore, "
                + "cpu.client.usPerMsg, cpu.gc.usPerMsg, cpu.server.percentOfCore, cpu.server.usPerMsg, heap.afterGc, "
                + "latency.max, latency.p50, latency.p90, latency.p99, latency.p999, rss, sendLag.p99, valid come from "
                + "-prof io.wsbench.jmh.EchoMetricsProfiler.");
    }

    @Test
    void openLoopRowsSayWhetherTheTargetRateWasMet() throws IOException {
        Map<String, Double> met = withValidity(allMetrics(50, 30), 1.0, 0.4);
        Map<String, Double> missed = withValidity(allMetrics(50, 45), 0.0, 23.4);
        String md = markdown(new ReportJson()
                .load(ReportJson.loadParams("netty", "open", 10, "50000"), 49_800, 100, met)
                .load(ReportJson.loadParams("tyrus", "open", 10, "50000"), 38_300, 900, missed));

        assertThat(MarkdownTables.row(md, "open loop · 10 connections", "netty")).last().isEqualTo("yes");
        assertThat(MarkdownTables.row(md, "open loop · 10 connections", "tyrus")).last().isEqualTo("no (23.4 % short)");
        assertThat(md).contains("valid no: the open-loop client fell short of the target rate");
    }

    @Test
    void aNoteUnderEachTableSaysWhoUsedTheCores() throws IOException {
        String md = markdown(new ReportJson()
                .load(ReportJson.loadParams("netty", "closed", 100, "0"), 84_000, 1_500, allMetrics(55, 40))
                .load(ReportJson.loadParams("jetty", "closed", 100, "0"), 61_000, 1_500, allMetrics(30, 20)));

        assertThat(md).contains("Who used the cores (% of one core; the machine has "
                        + Runtime.getRuntime().availableProcessors() + " here, server and client share them):\n\n"
                        + "- netty: server 55 % + client 40 % (busiest client thread 40 %) + JVM 4 % of a core\n"
                        + "- jetty: server 30 % + client 20 % (busiest client thread 20 %) + JVM 4 % of a core\n");
    }

    @Test
    void aRowWhoseClientThreadWasSaturatedIsMarked() throws IOException {
        String md = markdown(new ReportJson()
                .load(ReportJson.loadParams("netty", "closed", 100, "0"), 84_000, 1_500, allMetrics(55, 95))
                .load(ReportJson.loadParams("jetty", "closed", 100, "0"), 61_000, 1_500, allMetrics(30, 20)));

        assertThat(MarkdownTables.row(md, CLOSED_100, "netty ⚠")).first().isEqualTo("netty ⚠");
        assertThat(MarkdownTables.row(md, CLOSED_100, "jetty")).first().isEqualTo("jetty");
        assertThat(md).contains("⚠ after a server: a client thread was at least 90 % busy");
    }

    @Test
    void aForkThatMovedMoreThan15PercentMarksTheScoreAndTheNoteNamesItWithEveryForksMean() throws IOException {
        Path file = new ReportJson()
                .load(ReportJson.loadParams("netty", "closed", 100, "0"), 84_000, 1_500, allMetrics(55, 40))
                .load(ReportJson.loadParams("jetty", "closed", 100, "0"), 61_000, 1_500, allMetrics(30, 20))
                .write(dir.resolve("load.json"));
        ForkScores.set(file, "echo", "netty", new double[] {60_000, 84_000, 90_000}, new double[] {85_000, 86_000, 87_000});
        ForkScores.set(file, "echo", "jetty", new double[] {61_000, 60_000, 62_000}, new double[] {60_000, 61_000, 61_500});

        String md = LoadReport.markdown(JmhResultFile.read(file));

        assertThat(MarkdownTables.row(md, CLOSED_100, "netty").get(2)).isEqualTo("84,000 ± 1,500 ↕");
        assertThat(MarkdownTables.row(md, CLOSED_100, "jetty").get(2)).isEqualTo("61,000 ± 1,500");
        assertThat(md).contains("- ↕ after a score: in some fork the last measured iteration is more than 15 % from the first")
                .contains("\n  - netty (" + CLOSED_100 + ") fork 1: 60,000 → 90,000 (+50.0 %); fork means 78,000 · 86,000\n")
                .doesNotContain("jetty (" + CLOSED_100);
    }

    @Test
    void eachPlacementIsATableOfItsOwnAndOneTheFileSharesIsSaidOnce() throws IOException {
        ReportJson json = new ReportJson();
        for (String placement : List.of("shared", "split:0/1")) {
            Map<String, String> params = ReportJson.loadParams("netty", "closed", 100, "0");
            params.put("placement", placement);
            json.load(params, placement.equals("shared") ? 84_000 : 97_000, 1_500, allMetrics(55, 40));
        }
        JmhResultFile file = read(json);
        String md = LoadReport.markdown(file);

        assertThat(MarkdownTables.row(md, CLOSED_100 + " · placement=shared", "netty").get(2)).isEqualTo("84,000 ± 1,500");
        assertThat(MarkdownTables.row(md, CLOSED_100 + " · placement=split:0/1", "netty").get(2)).isEqualTo("97,000 ± 1,500");
        assertThat(md).doesNotContain("placement=shared · ");
        assertThat(LoadReport.charts(file, "load", Map.of(), ValueUnit.us)).extracting(NamedChart::name)
                .containsExactly("load_load-latency_placement-shared", "load_load-latency_placement-split-0-1");

        Map<String, String> split = ReportJson.loadParams("netty", "closed", 100, "0");
        split.put("placement", "split");
        assertThat(markdown(new ReportJson().load(split, 97_000, 1_500, allMetrics(55, 40))))
                .contains("### " + CLOSED_100 + "\n")
                .contains("Same for every row: loadModel=closed · connections=100 · payloadBytes=64 · type=binary · rate=0 · "
                        + "inFlight=1 · placement=split · serverThreads=1 · target=embedded · transport=auto.");
    }

    @Test
    void thereIsATablePerLoadModelConnectionsPayloadTypeAndRate() throws IOException {
        ReportJson json = new ReportJson();
        for (String model : List.of("closed", "open")) {
            for (int connections : List.of(1000, 1, 100, 10)) {
                json.load(ReportJson.loadParams("netty", model, connections, "5000"), 1_000, 10, Map.of());
            }
        }
        String md = markdown(json);

        List<String> headings = md.lines().filter(l -> l.startsWith("### ")).map(l -> l.substring(4, l.indexOf(" · 64 B"))).toList();
        assertThat(headings).containsExactly("closed loop · 1 connection", "closed loop · 10 connections",
                "closed loop · 100 connections", "closed loop · 1000 connections", "open loop · 1 connection",
                "open loop · 10 connections", "open loop · 100 connections", "open loop · 1000 connections");
    }

    @Test
    void aConfigurationMissingBesideItsSiblingsIsShownAsFailed() throws IOException {
        String md = markdown(new ReportJson()
                .load(ReportJson.loadParams("netty", "closed", 10, "0"), 50_000, 100, allMetrics(50, 30))
                .load(ReportJson.loadParams("netty", "closed", 100, "0"), 80_000, 100, allMetrics(60, 35))
                .load(ReportJson.loadParams("tyrus", "closed", 10, "0"), 20_000, 100, allMetrics(60, 35)));

        assertThat(MarkdownTables.row(md, CLOSED_100, "tyrus").subList(0, 3)).containsExactly("tyrus", "failed (see jmh log)", "—");
        assertThat(md).contains("- failed (see jmh log): JMH ran the other combinations");
    }

    @Test
    void percentilesBeyondWhatLatencyCountResolvesAreMarked() throws IOException {
        Map<String, Double> metrics = new HashMap<>(allMetrics(50, 30));
        metrics.put("latency.count", 500.0);
        String md = markdown(new ReportJson().load(ReportJson.loadParams("netty", "closed", 100, "0"), 500, 5, metrics));

        assertThat(MarkdownTables.row(md, CLOSED_100, "netty").subList(3, 8))
                .containsExactly("410.0", "702.5", "1,250", "3,100†", "12,800");
        assertThat(md).contains(Markdown.UNRESOLVED_NOTE);
    }

    @Test
    void withoutHlogsTheLatencyChartUsesTheProfilersPercentilesItCanResolve() throws IOException {
        JmhResultFile file = read(new ReportJson()
                .load(ReportJson.loadParams("netty", "closed", 100, "0"), 84_000, 1_500, allMetrics(55, 40)));

        NamedChart chart = LoadReport.charts(file, "load", Map.of(), ValueUnit.us).get(0);

        assertThat(chart.name()).isEqualTo("load_load-latency");
        assertThat(chart.title()).isEqualTo("Latency by percentile · " + CLOSED_100);
        XYSeries netty = chart.chart().getSeriesMap().get("netty (JMH metrics)");
        // p50, p90, p99, p99.9 and p99.99: latency.count (1,000,000) resolves them all
        assertThat(netty.getXData()).containsExactly(new double[] {Charts.nines(50), 1, 2, 3, 4}, within(1e-9));
        assertThat(netty.getYData()).containsExactly(410, 702.5, 1250, 3100, 7700);
    }

    @Test
    void withAnHlogTheLatencyChartDrawsItsFullDistribution() throws IOException {
        JmhResultFile file = read(new ReportJson()
                .load(ReportJson.loadParams("netty", "closed", 100, "0"), 84_000, 1_500, allMetrics(55, 40))
                .load(ReportJson.loadParams("jetty", "closed", 100, "0"), 61_000, 1_500, allMetrics(30, 20)));
        Result netty = file.results().get(0);
        Histogram log = HlogFixtures.recordAll(HlogFixtures.latencies(3, 20_000, 400, 9));

        XYChart chart = LoadReport.charts(file, "load", Map.of(netty, log), ValueUnit.us).get(0).chart();

        assertThat(chart.getSeriesMap()).containsOnlyKeys("netty (hlog)", "jetty (JMH metrics)");
        XYSeries fromLog = chart.getSeriesMap().get("netty (hlog)");
        assertThat(fromLog.getXData().length).isGreaterThan(50);
        int median = indexOfPercentile(fromLog.getXData(), 50);
        assertThat(fromLog.getYData()[median]).isEqualTo(log.getValueAtPercentile(50));
    }

    @Test
    void closedLoopRunsAtSeveralConnectionCountsGetAThroughputChart() throws IOException {
        ReportJson json = new ReportJson();
        double[] nettyScores = {30_000, 70_000, 84_000, 81_000};
        int[] connections = {1, 10, 100, 1000};
        for (int i = 0; i < connections.length; i++) {
            json.load(ReportJson.loadParams("netty", "closed", connections[i], "0"), nettyScores[i], 500, Map.of());
            json.load(ReportJson.loadParams("jetty", "closed", connections[i], "0"), nettyScores[i] / 2, 500, Map.of());
        }
        JmhResultFile file = read(json);

        List<NamedChart> throughput = LoadReport.charts(file, "load", Map.of(), ValueUnit.us).stream()
                .filter(c -> c.name().startsWith("load_load-throughput")).toList();

        assertThat(throughput).hasSize(1);
        assertThat(throughput.get(0).name()).isEqualTo("load_load-throughput");
        assertThat(throughput.get(0).title()).isEqualTo("Throughput vs connections · closed loop · 64 B · binary");
        XYSeries netty = throughput.get(0).chart().getSeriesMap().get("netty");
        assertThat(netty.getXData()).containsExactly(1, 10, 100, 1000);
        assertThat(netty.getYData()).containsExactly(nettyScores);
        assertThat(throughput.get(0).chart().getSeriesMap().get("jetty").getYData()).containsExactly(15_000, 35_000, 42_000, 40_500);
    }

    @Test
    void aFileWithoutLoadResultsIsRejectedNamingIt() throws IOException {
        JmhResultFile file = read(new ReportJson().throughput("netty", "64", "binary", 1_000, 10));

        assertThatThrownBy(() -> LoadReport.markdown(file)).isInstanceOf(ReportInputException.class)
                .hasMessageContaining(file.source().toString()).hasMessageContaining("no EchoLoadBenchmark or BroadcastBenchmark or IdleConnectionsBenchmark results")
                .hasMessageContaining("EchoRoundTripBenchmark.throughput");
    }

    /** Every metric the profiler and -prof gc add, with the given server and client CPU %. */
    static Map<String, Double> allMetrics(double serverCpu, double clientCpu) {
        Map<String, Double> m = new HashMap<>();
        m.put("latency.p50", 410.0);
        m.put("latency.p90", 702.5);
        m.put("latency.p99", 1_250.0);
        m.put("latency.p999", 3_100.0);
        m.put("latency.p9999", 7_700.0);
        m.put("latency.max", 12_800.0);
        m.put("latency.count", 1_000_000.0);
        m.put("rate.achieved", 84_000.0);
        m.put("rateShortfallPercent", 0.0);
        m.put("cpu.server.percentOfCore", serverCpu);
        m.put("cpu.client.percentOfCore", clientCpu);
        m.put("cpu.gc.percentOfCore", 2.0);
        m.put("cpu.jit.percentOfCore", 1.0);
        m.put("cpu.jvmOther.percentOfCore", 0.5);
        m.put("cpu.server.usPerMsg", 6.53);
        m.put("cpu.client.usPerMsg", 4.75);
        m.put("cpu.gc.usPerMsg", 0.25);
        m.put("cpu.jit.usPerMsg", 0.125);
        m.put("cpu.jvmOther.usPerMsg", 0.0625);
        m.put("sendLag.p99", 12.0);
        m.put("client.busiestThreadPercent", clientCpu);
        m.put("client.saturated", clientCpu >= 90 ? 1.0 : 0.0);
        m.put("heap.afterGc", 38.2);
        m.put("rss", 412.7);
        m.put("gc.alloc.rate.norm", 296.0);
        return m;
    }

    private static Map<String, Double> withValidity(Map<String, Double> metrics, double valid, double shortfall) {
        Map<String, Double> m = new HashMap<>(metrics);
        m.put("valid", valid);
        m.put("rateShortfallPercent", shortfall);
        m.put("rate.target", 50_000.0);
        return m;
    }

    private static int indexOfPercentile(double[] nines, double percentile) {
        for (int i = 0; i < nines.length; i++) {
            if (nines[i] >= Charts.nines(percentile) - 1e-9) {
                return i;
            }
        }
        throw new AssertionError("no point at " + percentile + " %");
    }

    private String markdown(ReportJson json) throws IOException {
        return LoadReport.markdown(read(json));
    }

    private JmhResultFile read(ReportJson json) throws IOException {
        return JmhResultFile.read(json.write(dir.resolve("load.json")));
    }
}
