package io.wsbench.report;

import io.wsbench.results.JmhResultFile;
import io.wsbench.testing.HlogFixtures;
import io.wsbench.testing.ReportJson;

import io.wsbench.results.JmhResultFile.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HlogFilesTest {

    private static final long START_MILLIS = 1_714_557_600_000L;

    @TempDir
    Path dir;

    @Test
    void eachLogGoesToTheResultItsFileNameDescribes() throws IOException {
        List<Result> results = loadResults();
        Path netty10 = log("EchoLoadBenchmark.echo_server=netty_connections=10_loadModel=closed.hlog");
        Path netty10SecondFork = log("EchoLoadBenchmark.echo-server-netty-connections-10-fork-2.hlog");
        Path netty1 = log("EchoLoadBenchmark.echo_server=netty_connections=1.hlog");
        Path jetty100 = log("echo_connections_100_server_jetty_payloadBytes_64.hlog");
        List<String> warnings = new ArrayList<>();

        Map<Result, List<Path>> matched = HlogFiles.match(List.of(netty10, netty10SecondFork, netty1, jetty100), results, warnings);

        assertThat(warnings).isEmpty();
        assertThat(matched.get(result(results, "netty", "10"))).containsExactly(netty10, netty10SecondFork);
        assertThat(matched.get(result(results, "netty", "1"))).containsExactly(netty1);
        assertThat(matched.get(result(results, "jetty", "100"))).containsExactly(jetty100);
        assertThat(matched).hasSize(3);
    }

    @Test
    void aLogThatFitsNoResultOrSeveralIsLeftOutWithAWarning() throws IOException {
        List<Result> results = loadResults();
        Path noConnections = log("echo_server=netty.hlog");
        Path otherRun = log("echo_server=netty_connections=10_payloadBytes=1024.hlog");
        List<String> warnings = new ArrayList<>();

        Map<Result, List<Path>> matched = HlogFiles.match(List.of(noConnections, otherRun), results, warnings);

        assertThat(matched).isEmpty();
        assertThat(warnings).hasSize(2);
        assertThat(warnings.get(0)).startsWith(noConnections.toString()).contains("matches no result")
                .contains("connections=…, server=…");
        assertThat(warnings.get(1)).startsWith(otherRun.toString()).contains("matches no result");
    }

    @Test
    void aLogThatFitsTwoResultsIsAmbiguous() throws IOException {
        Map<String, String> params = ReportJson.loadParams("netty", "closed", 10, "0");
        JmhResultFile file = JmhResultFile.read(new ReportJson().load(ReportJson.LOAD, params, 1, 1, Map.of())
                .load("io.wsbench.load.EchoLoadBenchmark.echoBatched", params, 2, 1, Map.of()).write(dir.resolve("two.json")));
        Path log = log("server=netty_connections=10.hlog");
        List<String> warnings = new ArrayList<>();

        assertThat(HlogFiles.match(List.of(log), file.results(), warnings)).isEmpty();

        assertThat(warnings).singleElement().asString().contains("matches 2 results").contains("name the log with every parameter");
    }

    @Test
    void directoriesExpandToTheLogsInsideThem() throws IOException {
        Path logs = Files.createDirectories(dir.resolve("hlog/fork-1"));
        Path b = HlogFixtures.writeLog(logs.resolve("b.hlog"), HlogFixtures.latencies(1, 10, 50, 1), 0);
        Path a = HlogFixtures.writeLog(dir.resolve("hlog/a.hlog"), HlogFixtures.latencies(1, 10, 50, 2), 0);
        Files.writeString(dir.resolve("hlog/notes.txt"), "not a log");
        Path single = HlogFixtures.writeLog(dir.resolve("single.log"), HlogFixtures.latencies(1, 10, 50, 3), 0);

        assertThat(HlogFiles.expand(List.of(dir.resolve("hlog"), single))).containsExactly(a, b, single);
    }

    @Test
    void missingOrEmptyPlacesAreRejectedNamingThem() throws IOException {
        Path missing = dir.resolve("no-such-dir");
        Path empty = Files.createDirectories(dir.resolve("empty"));

        assertThatThrownBy(() -> HlogFiles.expand(List.of(missing))).isInstanceOf(ReportInputException.class)
                .hasMessageContaining(missing.toString()).hasMessageContaining("no such file or directory");
        assertThatThrownBy(() -> HlogFiles.expand(List.of(empty))).isInstanceOf(ReportInputException.class)
                .hasMessageContaining(empty.toString()).hasMessageContaining("no .hlog files");
    }

    @Test
    void readingALogAddsItsIntervals() throws IOException {
        long[][] intervals = HlogFixtures.latencies(5, 1_000, 80, 4);
        Path log = HlogFixtures.writeLog(dir.resolve("a.hlog"), intervals, START_MILLIS);
        HlogFiles.LogSum sum = HlogFiles.read(log);

        assertThat(sum.histogram()).isEqualTo(HlogFixtures.recordAll(intervals));
        assertThat(sum.intervals()).isEqualTo(5);
        assertThat(sum.startMillis()).isEqualTo(START_MILLIS);
        assertThat(sum.endMillis()).isEqualTo(START_MILLIS + 5_000);
    }

    @Test
    void aFileWithoutHistogramsIsRejectedNamingIt() throws IOException {
        Path text = Files.writeString(dir.resolve("empty.hlog"), "#[Histogram log format version 1.3]\n");

        assertThatThrownBy(() -> HlogFiles.read(text)).isInstanceOf(ReportInputException.class)
                .hasMessageContaining(text.toString()).hasMessageContaining("no interval histograms");
    }

    /** Closed loop, netty and jetty at 1, 10 and 100 connections, 64 B binary. */
    private List<Result> loadResults() throws IOException {
        ReportJson json = new ReportJson();
        for (String server : List.of("netty", "jetty")) {
            for (int connections : List.of(1, 10, 100)) {
                json.load(ReportJson.loadParams(server, "closed", connections, "0"), 1_000, 10, Map.of());
            }
        }
        return JmhResultFile.read(json.write(dir.resolve("load.json"))).results();
    }

    private static Result result(List<Result> results, String server, String connections) {
        return results.stream()
                .filter(r -> r.params().get("server").equals(server) && r.params().get("connections").equals(connections))
                .findFirst().orElseThrow();
    }

    private Path log(String name) throws IOException {
        return HlogFixtures.writeLog(dir.resolve(name), HlogFixtures.latencies(1, 100, 50, name.hashCode()), 0);
    }
}
