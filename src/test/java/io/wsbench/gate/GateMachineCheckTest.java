package io.wsbench.gate;

import io.wsbench.results.RunRecord;
import io.wsbench.testing.JmhJson;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** compare refuses times from another machine (exit 2, both machines named, pointing to ab) but still judges allocation. */
class GateMachineCheckTest {

    private static final String DECODE = "io.wsbench.codec.JettyFrameCodecBenchmark.decode";
    private static final Map<String, String> SMALL = Map.of("payloadBytes", "125", "type", "text");
    private static final String EPYC = "AMD EPYC";
    private static final String XEON = "Intel(R) Xeon(R) Platinum 8375C CPU @ 2.90GHz";
    private static final String DEBIAN_17 = "OpenJDK 64-Bit Server VM 17.0.15+6-Debian-1deb12u1";

    @TempDir
    Path dir;

    private String stdout;
    private String stderr;

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

    private int compare(Path base, Path cur) {
        return run("compare", "--baseline", base.toString(), "--current", cur.toString());
    }

    private int run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Gate.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        stdout = out.toString(StandardCharsets.UTF_8);
        stderr = err.toString(StandardCharsets.UTF_8);
        return exit;
    }
}
