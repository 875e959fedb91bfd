package io.wsbench.gate;

import io.wsbench.results.RunRecord;
import io.wsbench.testing.JmhJson;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * compare refuses times from another machine (exit 2, both machines named, pointing to ab) but still judges allocation,
 * and with --allocation-only gates it (exit 1 or 0) whatever the machine, as long as the JVM matches.
 */
class GateMachineCheckTest extends GateCommand {

    private static final String DECODE = "io.wsbench.codec.JettyFrameCodecBenchmark.decode";
    private static final Map<String, String> SMALL = Map.of("payloadBytes", "125", "type", "text");
    private static final String EPYC = "AMD EPYC";
    private static final String XEON = "Intel(R) Xeon(R) Platinum 8375C CPU @ 2.90GHz";
    private static final String DEBIAN_17 = "OpenJDK 64-Bit Server VM 17.0.15+6-Debian-1deb12u1";
    private static final Path COMMITTED_BASELINE = Path.of("results/baseline/gate.json");


    @Test
    void sameMachinePassesQuietly() throws IOException {
        Path base = run("base", 540, 684, EPYC, "2", "Debian");
        Path cur = run("cur", 540, 684, EPYC, "2", "Debian");

        assertThat(compare(base, cur)).isEqualTo(Gate.OK);
        assertThat(stdout).contains("PASS").doesNotContain("WARNING");
        assertThat(stderr).isEmpty();
    }

    @Test
    void anotherCpuIsBadInputNamingBothMachinesAndPointingToAb() throws IOException {
        Path base = run("base", 540, 684, EPYC, "2", "Debian");
        Path cur = run("cur", 1500, 684, XEON, "2", "Debian"); // +178 %: the machine, not the code

        assertThat(compare(base, cur)).isEqualTo(Gate.BAD_INPUT);

        assertThat(stderr).contains("AMD EPYC, 2 cores, " + DEBIAN_17).contains(XEON + ", 2 cores")
                .contains("scripts/gate ab --base REF").contains("--allow-other-machine")
                .contains("allocation PASS: no regression (0 regression, 0 improvement, 1 unchanged)");
        // no time verdict is printed for another machine, only allocation
        assertThat(stdout).doesNotContain("p-value").contains("gc.alloc.rate.norm").contains("unchanged");
    }

    @Test
    void anotherCoreCountIsAnotherMachine() throws IOException {
        Path base = run("base", 540, 684, EPYC, "2", "Debian");
        Path cur = run("cur", 540, 684, EPYC, "8", "Debian");

        assertThat(compare(base, cur)).isEqualTo(Gate.BAD_INPUT);
        assertThat(stderr).contains("2 vs 8 cores");
    }

    @Test
    void anotherJvmVersionIsAnotherMachineButAllocationStillCompares() throws IOException {
        Path base = run("base", 540, 684, EPYC, "2", "Debian");
        Path cur = write("cur", new JmhJson().addWithAlloc(DECODE, "avgt", SMALL, "ns/op", 540, 764, 1).json()
                .replace("17.0.15+6-Debian-1deb12u1", "17.0.16+8-Debian-1deb12u1").replace("\"17.0.15\"", "\"17.0.16\""),
                EPYC, "2", "Debian");

        assertThat(compare(base, cur)).isEqualTo(Gate.BAD_INPUT);
        assertThat(stderr).contains("17.0.15+6-Debian-1deb12u1").contains("17.0.16+8-Debian-1deb12u1")
                .contains("allocation FAIL: 1 allocation regression");
    }

    @Test
    void allowOtherMachineWarnsLoudlyAndGatesAsUsual() throws IOException {
        Path base = run("base", 540, 684, EPYC, "2", "Debian");
        Path cur = run("cur", 540, 764, XEON, "2", "Debian");
        Path md = dir.resolve("comment.md");

        assertThat(run("compare", "--baseline", base.toString(), "--current", cur.toString(), "--allow-other-machine",
                "--markdown", md.toString())).isEqualTo(Gate.REGRESSED);

        assertThat(stdout).startsWith("WARNING: OTHER MACHINE").contains(XEON).contains("AMD EPYC")
                .contains("FAIL: 1 allocation regression");
        assertThat(stderr).contains("WARNING: compared runs from different machines");
        assertThat(Files.readString(md)).contains("> **Warning:** OTHER MACHINE");
    }

    @Test
    void anotherJvmMajorOrVendorLeavesAllocationUngated() throws IOException {
        Path base = run("base", 540, 684, EPYC, "2", "Debian");
        Path cur = write("cur", new JmhJson().addWithAlloc(DECODE, "avgt", SMALL, "ns/op", 540, 900, 1).json()
                .replace("17.0.15+6-Debian-1deb12u1", "21.0.5+11-LTS").replace("\"17.0.15\"", "\"21.0.5\""),
                EPYC, "2", "Eclipse Adoptium");

        assertThat(run("compare", "--baseline", base.toString(), "--current", cur.toString(), "--allow-other-machine"))
                .isEqualTo(Gate.OK);
        assertThat(stdout).contains("other JVM").contains("allocation is shown but not gated");
    }

    @Test
    void runWithoutARecordIsCheckedOnItsJvmOnlyWithAWarning() throws IOException {
        Path base = new JmhJson().addWithAlloc(DECODE, "avgt", SMALL, "ns/op", 540, 684, 1).write(dir.resolve("base.json"));
        Path cur = run("cur", 540, 684, XEON, "2", "Debian");

        assertThat(compare(base, cur)).isEqualTo(Gate.OK);
        assertThat(stderr).contains("base.json has no run record").contains("only the JVM was checked");
        assertThat(stdout).contains("WARNING: ");
    }

    @Test
    void recordsWithoutAVendorCompareByTheVersionsBuildTag() throws IOException {
        Path base = run("base", 540, 684, EPYC, "2", "");
        Path cur = run("cur", 540, 764, EPYC, "2", "");

        assertThat(compare(base, cur)).isEqualTo(Gate.REGRESSED);
        assertThat(stdout).contains("judged by the VM name").contains("OpenJDK 64-Bit Server VM Debian");
    }

    @Test
    void allocationOnlyGatesAgainstABaselineFromAnotherMachine() throws IOException {
        // the committed baseline as if another machine had recorded it: its record's CPU and cores edited
        Path base = copyOfCommittedBaseline("base", record -> record.replaceAll("(?m)^cpu: .*$", "cpu: " + XEON)
                .replaceAll("(?m)^nproc: .*$", "nproc: 8"));
        // this machine's runs: the baseline's own figures, and the same with 80 B/op more in Jetty's 125-byte decode
        Path same = copyOfCommittedBaseline("same", record -> record);
        Path rose = copyOfCommittedBaseline("rose", record -> record);
        Files.writeString(rose, withMoreAllocation(Files.readString(rose), "JettyFrameCodecBenchmark.decode", "125", 80));

        assertThat(compare(base, same)).as("without the flag times refuse another machine").isEqualTo(Gate.BAD_INPUT);

        assertThat(run("compare", "--baseline", base.toString(), "--current", rose.toString(), "--allocation-only"))
                .as(stdout + stderr).isEqualTo(Gate.REGRESSED);
        assertThat(stdout).startsWith("WARNING: ALLOCATION ONLY (--allocation-only): times were not compared")
                .contains(XEON + ", 8 cores").contains("AMD EPYC, 2 cores").doesNotContain("p-value")
                .contains("allocation FAIL: 1 allocation regression: JettyFrameCodecBenchmark.decode [avgt] {")
                .contains("+80.0 B/op");

        assertThat(run("compare", "--baseline", base.toString(), "--current", same.toString(), "--allocation-only"))
                .as(stdout + stderr).isEqualTo(Gate.OK);
        assertThat(stdout).contains("times were not compared").contains("allocation PASS: no regression (0 regression, 0 improvement,");
    }

    @Test
    void allocationOnlyRefusesAnotherJvmNamingBoth() throws IOException {
        Path base = run("base", 540, 684, EPYC, "2", "Debian");
        Path cur = write("cur", new JmhJson().addWithAlloc(DECODE, "avgt", SMALL, "ns/op", 540, 684, 1).json()
                .replace("17.0.15+6-Debian-1deb12u1", "21.0.5+11-LTS").replace("\"17.0.15\"", "\"21.0.5\""),
                XEON, "2", "Eclipse Adoptium");

        assertThat(run("compare", "--baseline", base.toString(), "--current", cur.toString(), "--allocation-only"))
                .isEqualTo(Gate.BAD_INPUT);
        assertThat(stderr).contains("Java 17 from 'Debian' (" + DEBIAN_17 + ")")
                .contains("Java 21 from 'Eclipse Adoptium' (OpenJDK 64-Bit Server VM 21.0.5+11-LTS)")
                .contains("Record a baseline with this JVM");
    }

    @Test
    void allocationOnlyWithoutAllocationOrWithTimeOptionsIsBadInput() throws IOException {
        Path base = write("base", new JmhJson().add(DECODE, "avgt", SMALL, "ns/op", 540, 0.01, 1).json(), EPYC, "2", "Debian");
        assertThat(run("compare", "--baseline", base.toString(), "--current", base.toString(), "--allocation-only"))
                .isEqualTo(Gate.BAD_INPUT);
        assertThat(stderr).contains("no benchmark in common has gc.alloc.rate.norm on both sides").contains("-prof gc");

        Path alloc = run("alloc", 540, 684, EPYC, "2", "Debian");
        assertThat(run("compare", "--baseline", alloc.toString(), "--current", alloc.toString(), "--allocation-only",
                "--threshold", "5")).isEqualTo(Gate.BAD_INPUT);
        assertThat(stderr).contains("--threshold is about times, which --allocation-only does not compare");
    }

    @Test
    void allocationOnlyMarkdownHasTheAllocationTableAlone() throws IOException {
        Path base = run("base", 540, 684, EPYC, "2", "Debian");
        Path cur = run("cur", 1500, 764, XEON, "2", "Debian");
        Path md = dir.resolve("comment.md");

        assertThat(run("compare", "--baseline", base.toString(), "--current", cur.toString(), "--allocation-only",
                "--markdown", md.toString())).isEqualTo(Gate.REGRESSED);
        assertThat(Files.readString(md)).startsWith("### Benchmark regression gate\n\n**allocation FAIL: 1 allocation regression")
                .contains("> **Warning:** ALLOCATION ONLY").contains("| baseline median |").doesNotContain("p-value");
    }

    @Test
    void theCommittedBaselineKnowsItsMachine() {
        RunRecord.Machine machine = RunRecord.Machine.of(Path.of("results/baseline/gate.json")).orElseThrow();

        assertThat(machine.cpu()).isEqualTo("AMD EPYC");
        assertThat(machine.nproc()).isEqualTo("2");
        assertThat(machine.java()).isEqualTo(DEBIAN_17);
    }

    @Test
    void machineLinesParseFromARecord() {
        RunRecord.Machine m = RunRecord.Machine.parse("date: x\ncommand: a: b\nnproc: 4\ncpu: " + XEON
                + "\nkernel: Linux 6\njava: " + DEBIAN_17 + "\njava vendor: Debian\n");

        assertThat(m).isEqualTo(new RunRecord.Machine("4", XEON, DEBIAN_17, "Debian"));
        assertThat(m.hardware()).isEqualTo(XEON + ", 4 cores");
        assertThat(RunRecord.machine()).contains("java vendor: " + System.getProperty("java.vendor"));
    }

    private Path run(String name, double nanos, double bytesPerOp, String cpu, String nproc, String vendor) throws IOException {
        return write(name, new JmhJson().addWithAlloc(DECODE, "avgt", SMALL, "ns/op", nanos, bytesPerOp, 1).json(), cpu, nproc, vendor);
    }

    private Path write(String name, String json, String cpu, String nproc, String vendor) throws IOException {
        Path file = Files.writeString(dir.resolve(name + ".json"), json);
        Files.writeString(RunRecord.sidecarOf(file), "date: 2026-12-01T00:00:00Z\ncommand: scripts/gate run\nnproc: " + nproc
                + "\ncpu: " + cpu + "\nkernel: Linux 6.18 amd64\njava: " + DEBIAN_17 + "\n"
                + (vendor.isEmpty() ? "" : "java vendor: " + vendor + "\n"));
        return file;
    }

    /** A copy of the committed baseline and its run record, the record passed through {@code editRecord}. */
    private Path copyOfCommittedBaseline(String name, java.util.function.UnaryOperator<String> editRecord) throws IOException {
        Path file = Files.copy(COMMITTED_BASELINE, dir.resolve(name + ".json"));
        Files.writeString(RunRecord.sidecarOf(file), editRecord.apply(Files.readString(RunRecord.sidecarOf(COMMITTED_BASELINE))));
        return file;
    }

    /** {@code json} with {@code bytes} more allocated per operation in every iteration of one benchmark's row. */
    private static String withMoreAllocation(String json, String benchmark, String payloadBytes, double bytes) {
        JsonArray results = JsonParser.parseString(json).getAsJsonArray();
        int changed = 0;
        for (JsonElement element : results) {
            JsonObject result = element.getAsJsonObject();
            if (result.get("benchmark").getAsString().endsWith(benchmark)
                    && result.getAsJsonObject("params").get("payloadBytes").getAsString().equals(payloadBytes)) {
                JsonObject metric = result.getAsJsonObject("secondaryMetrics").getAsJsonObject(AllocationGate.METRIC);
                metric.addProperty("score", metric.get("score").getAsDouble() + bytes);
                for (JsonElement fork : metric.getAsJsonArray("rawData")) {
                    JsonArray iterations = fork.getAsJsonArray();
                    for (int i = 0; i < iterations.size(); i++) {
                        iterations.set(i, new com.google.gson.JsonPrimitive(iterations.get(i).getAsDouble() + bytes));
                    }
                }
                changed++;
            }
        }
        assertThat(changed).as(benchmark + " {payloadBytes=" + payloadBytes + "} in the committed baseline").isEqualTo(1);
        return results.toString();
    }


}
