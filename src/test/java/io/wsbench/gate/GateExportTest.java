package io.wsbench.gate;

import io.wsbench.results.JmhResultFile;
import io.wsbench.testing.JmhJson;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** {@code scripts/gate export}, {@code update-baseline} and {@code merge} through {@link Gate#run}. */
class GateExportTest extends GateCommand {

    private static final String ENCODE = "io.wsbench.codec.NettyFrameCodecBenchmark.encode";
    private static final String ROUND_TRIP = "io.wsbench.roundtrip.EchoRoundTripBenchmark.roundTrip";


    private Path mixedRun() throws IOException {
        return new JmhJson()
                .add(ROUND_TRIP, "thrpt", Map.of("server", "netty"), "ops/ms", 40, 0.02, 1)
                .addWithAlloc(ENCODE, "avgt", Map.of("payloadBytes", "125"), "us/op", 0.2, 152, 2)
                .addSample(ROUND_TRIP, Map.of("server", "netty"), "us/op", 50, 0.02, 3)
                .write(dir.resolve("run.json"));
    }

    @Test
    void githubExportSplitsByDirection() throws IOException {
        Path run = mixedRun();

        assertThat(run("export", "--in", run.toString(), "--github", dir.resolve("gh.json").toString())).isEqualTo(Gate.OK);

        JsonArray bigger = array(dir.resolve("gh-bigger.json"));
        JsonArray smaller = array(dir.resolve("gh-smaller.json"));
        assertThat(names(bigger)).containsExactly("EchoRoundTripBenchmark.roundTrip [thrpt] {server=netty}");
        assertThat(bigger.get(0).getAsJsonObject().get("unit").getAsString()).isEqualTo("ops/ms");
        assertThat(names(smaller)).containsExactly(
                "NettyFrameCodecBenchmark.encode [avgt] {payloadBytes=125}",
                "NettyFrameCodecBenchmark.encode [avgt] {payloadBytes=125} gc.alloc.rate.norm",
                "EchoRoundTripBenchmark.roundTrip [sample] {server=netty}",
                "EchoRoundTripBenchmark.roundTrip [sample] {server=netty} p50",
                "EchoRoundTripBenchmark.roundTrip [sample] {server=netty} p90",
                "EchoRoundTripBenchmark.roundTrip [sample] {server=netty} p99",
                "EchoRoundTripBenchmark.roundTrip [sample] {server=netty} p99.9");
        JsonObject alloc = smaller.get(1).getAsJsonObject();
        assertThat(alloc.get("unit").getAsString()).isEqualTo("B/op");
        assertThat(alloc.get("value").getAsDouble()).isCloseTo(152, within(1e-9));
        for (JsonElement e : smaller) {
            assertThat(e.getAsJsonObject().keySet()).contains("name", "unit", "value", "extra");
        }
        assertThat(bigger.get(0).getAsJsonObject().get("range").getAsString()).startsWith("± ");
        assertThat(stdout).contains("customBiggerIsBetter").contains("customSmallerIsBetter");
    }

    @Test
    void bencherExportUsesBuiltInMeasuresInTheirUnits() throws IOException {
        Path run = mixedRun();
        Path out = dir.resolve("bmf.json");

        assertThat(run("export", "--in", run.toString(), "--bencher", out.toString())).isEqualTo(Gate.OK);

        JsonObject bmf = JsonParser.parseString(Files.readString(out)).getAsJsonObject();
        JsonObject thrpt = bmf.getAsJsonObject("EchoRoundTripBenchmark.roundTrip [thrpt] {server=netty}");
        assertThat(thrpt.keySet()).containsExactly("throughput");
        JsonObject throughput = thrpt.getAsJsonObject("throughput");
        assertThat(throughput.get("value").getAsDouble()).isBetween(38_000.0, 42_000.0); // 40 ops/ms in ops/s
        assertThat(throughput.get("lower_value").getAsDouble()).isLessThan(throughput.get("value").getAsDouble());
        assertThat(throughput.get("upper_value").getAsDouble()).isGreaterThan(throughput.get("value").getAsDouble());

        JsonObject encode = bmf.getAsJsonObject("NettyFrameCodecBenchmark.encode [avgt] {payloadBytes=125}");
        assertThat(encode.keySet()).containsExactly("latency", "alloc-bytes-per-op");
        assertThat(encode.getAsJsonObject("latency").get("value").getAsDouble()).isBetween(190.0, 210.0); // 0.2 us in ns
        assertThat(encode.getAsJsonObject("alloc-bytes-per-op").get("value").getAsDouble()).isCloseTo(152, within(1e-9));

        JsonObject sample = bmf.getAsJsonObject("EchoRoundTripBenchmark.roundTrip [sample] {server=netty}");
        assertThat(sample.keySet()).containsExactly("latency", "latency-p50", "latency-p90", "latency-p99", "latency-p999");
        assertThat(sample.getAsJsonObject("latency").get("value").getAsDouble()).isBetween(45_000.0, 55_000.0);
    }

    @Test
    void exportNeedsAnOutputAndAJmhFile() throws IOException {
        Path run = mixedRun();

        assertThat(run("export", "--in", run.toString())).isEqualTo(Gate.BAD_INPUT);
        assertThat(stderr).contains("--github").contains("--bencher");
        assertThat(run("export", "--in", dir.resolve("none.json").toString(), "--bencher", "x.json")).isEqualTo(Gate.BAD_INPUT);
        assertThat(stderr).contains("no such file");
        assertThat(run("export", "-h")).isEqualTo(Gate.OK);
        assertThat(stdout).contains("customBiggerIsBetter");
    }

    @Test
    void mergeConcatenatesPartsAndRecordsCommandAndMachine() throws IOException {
        Path codec = new JmhJson().add(ENCODE, "avgt", Map.of(), "ns/op", 100, 0.02, 1).write(dir.resolve("codec.json"));
        Path roundTrip = new JmhJson().add(ROUND_TRIP, "thrpt", Map.of(), "ops/s", 100, 0.02, 1).write(dir.resolve("rt.json"));
        Path out = dir.resolve("gate/current.json");

        assertThat(run("merge", "--out", out.toString(), "--command", "java -jar b.jar codec", "--command", "java -jar b.jar rt",
                codec.toString(), roundTrip.toString())).isEqualTo(Gate.OK);

        assertThat(JmhResultFile.read(out).results()).extracting(JmhResultFile.Result::benchmark).containsExactly(ENCODE, ROUND_TRIP);
        String sidecar = Files.readString(dir.resolve("gate/current.run.txt"));
        assertThat(sidecar).contains("command: java -jar b.jar codec").contains("command: java -jar b.jar rt")
                .contains("nproc: " + Runtime.getRuntime().availableProcessors()).contains("cpu: ").contains("kernel: ");
    }

    @Test
    void updateBaselineWritesTheRunAndAReadmeWithJvmMachineAndCommand() throws IOException {
        Path codec = new JmhJson().add(ENCODE, "avgt", Map.of(), "ns/op", 100, 0.02, 1).write(dir.resolve("codec.json"));
        Path run = dir.resolve("current.json");
        run("merge", "--out", run.toString(), "--command", "scripts/gate run", codec.toString());
        Path baseline = dir.resolve("baseline");

        assertThat(run("update-baseline", "--from", run.toString(), "--dir", baseline.toString())).isEqualTo(Gate.OK);

        assertThat(Files.readString(baseline.resolve("gate.json"))).isEqualTo(Files.readString(run));
        String readme = Files.readString(baseline.resolve("README.md"));
        assertThat(readme).contains("OpenJDK 64-Bit Server VM").contains("17.0.15")
                .contains("command: scripts/gate run").contains("nproc: ").contains("cpu: ").contains("kernel: ");
        assertThat(baseline.resolve("gate.run.txt")).exists();
    }

    @Test
    void updateBaselineFromAFileWithoutSidecarSaysSo() throws IOException {
        Path run = new JmhJson().add(ENCODE, "avgt", Map.of(), "ns/op", 100, 0.02, 1).write(dir.resolve("adhoc.json"));

        assertThat(run("update-baseline", "--from", run.toString(), "--dir", dir.resolve("b").toString())).isEqualTo(Gate.OK);

        assertThat(Files.readString(dir.resolve("b/README.md")))
                .contains("not made by scripts/gate run").contains("machine at update time");
    }

    private static JsonArray array(Path file) throws IOException {
        return JsonParser.parseString(Files.readString(file)).getAsJsonArray();
    }

    private static List<String> names(JsonArray entries) {
        return StreamSupport.stream(entries.spliterator(), false)
                .map(e -> e.getAsJsonObject().get("name").getAsString()).toList();
    }

}
