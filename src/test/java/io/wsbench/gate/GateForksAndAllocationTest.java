package io.wsbench.gate;

import io.wsbench.results.JmhResultFile;
import io.wsbench.testing.JmhJson;

import org.apache.commons.math3.stat.inference.TTest;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The fork as the statistical unit, the allocation gate, and merge pooling forks run one at a time: all on synthetic
 * JMH files with known numbers.
 */
class GateForksAndAllocationTest extends GateCommand {

    private static final String DECODE = "io.wsbench.codec.JettyFrameCodecBenchmark.decode";
    private static final String ENCODE = "io.wsbench.codec.TyrusFrameCodecBenchmark.encode";
    private static final Map<String, String> SMALL = Map.of("payloadBytes", "125", "type", "text");
    private static final Map<String, String> LARGE = Map.of("payloadBytes", "65536", "type", "text");


    @Test
    void pValueIsWelchsOnThePerForkMeans() throws IOException {
        double[][] base = {{99, 101}, {101, 103}, {97, 99}};      // fork means 100, 102, 98
        double[][] cur = {{119, 121}, {121, 123}, {117, 119}};    // fork means 120, 122, 118
        Path b = new JmhJson().addRaw(DECODE, "avgt", SMALL, "ns/op", base).write(dir.resolve("base.json"));
        Path c = new JmhJson().addRaw(DECODE, "avgt", SMALL, "ns/op", cur).write(dir.resolve("cur.json"));

        RegressionGate.Comparison comparison = new RegressionGate(10, 0.01)
                .compare(JmhResultFile.read(b), JmhResultFile.read(c));

        RegressionGate.Row row = comparison.rows().get(0);
        double perFork = new TTest().tTest(new double[] {100, 102, 98}, new double[] {120, 122, 118});
        double perIteration = new TTest().tTest(new double[] {99, 101, 101, 103, 97, 99}, new double[] {119, 121, 121, 123, 117, 119});
        assertThat(row.pValue()).isCloseTo(perFork, within(1e-12));
        assertThat(row.pValue()).isGreaterThan(perIteration * 100);
        assertThat(row.verdict()).isEqualTo(RegressionGate.Verdict.REGRESSION);
        assertThat(row.changePercent()).isCloseTo(20, within(1e-9));
    }

    @Test
    void forksThatDisagreeAreNoiseThoughTheirIterationsAreTight() throws IOException {
        // two JIT outcomes per side, 30 ns apart; within a fork the iterations barely move
        double[][] base = {{100, 100.1, 99.9, 100, 100.05}, {130, 130.1, 129.9, 130, 130.05}};
        double[][] cur = {{130, 130.1, 129.9, 130, 130.05}, {160, 160.1, 159.9, 160, 160.05}};
        Path b = new JmhJson().addRaw(DECODE, "avgt", SMALL, "ns/op", base).write(dir.resolve("base.json"));
        Path c = new JmhJson().addRaw(DECODE, "avgt", SMALL, "ns/op", cur).write(dir.resolve("cur.json"));

        assertThat(compare(b, c)).isEqualTo(Gate.OK);

        // pooled iterations would have called it significant; the forks do not
        double perIteration = new TTest().tTest(flat(base), flat(cur));
        assertThat(perIteration).isLessThan(RegressionGate.DEFAULT_ALPHA);
        assertThat(line("payloadBytes=125")).contains("noise").contains("+26.1%");
        assertThat(stdout).contains("per-fork means");
    }

    @Test
    void oneForkASideIsUntestedAndNamesTheFix() throws IOException {
        Path b = new JmhJson().addRaw(DECODE, "avgt", SMALL, "ns/op", new double[][] {{100, 101, 99, 100, 100}})
                .add(ENCODE, "avgt", SMALL, "ns/op", 400, 0.01, 1).write(dir.resolve("base.json"));
        Path c = new JmhJson().addRaw(DECODE, "avgt", SMALL, "ns/op", new double[][] {{150, 151, 149, 150, 150}})
                .add(ENCODE, "avgt", SMALL, "ns/op", 400, 0.01, 1).write(dir.resolve("cur.json"));

        assertThat(compare(b, c)).isEqualTo(Gate.OK);
        assertThat(line("JettyFrameCodecBenchmark.decode")).contains("untested").contains("+50.0%");
        assertThat(stdout).contains("1 baseline and 1 current forks").contains("-f 2 or more");
    }

    @Test
    void allocationRiseBeyondTheToleranceFailsWhileTimeIsUnchanged() throws IOException {
        Path b = new JmhJson().addWithAlloc(DECODE, "avgt", SMALL, "ns/op", 540, 684, 1)
                .addWithAlloc(ENCODE, "avgt", SMALL, "ns/op", 400, 1228, 2).write(dir.resolve("base.json"));
        Path c = new JmhJson().addWithAlloc(DECODE, "avgt", SMALL, "ns/op", 540, 684 + 80, 1)
                .addWithAlloc(ENCODE, "avgt", SMALL, "ns/op", 400, 1228, 2).write(dir.resolve("cur.json"));

        assertThat(compare(b, c)).isEqualTo(Gate.REGRESSED);

        assertThat(stdout).contains("FAIL: 1 allocation regression: JettyFrameCodecBenchmark.decode [avgt] {payloadBytes=125, type=text} +80.0 B/op");
        assertThat(allocationLine("JettyFrameCodecBenchmark.decode")).contains("684.0").contains("764.0").contains("+80.0")
                .contains("+11.7%").contains("regression");
        assertThat(allocationLine("TyrusFrameCodecBenchmark.encode")).contains("unchanged");
        assertThat(line("JettyFrameCodecBenchmark.decode")).contains("unchanged");
    }

    @Test
    void allocationToleranceIsAFewBytesOrTwoPercentWhicheverIsLarger() throws IOException {
        Path b = new JmhJson()
                .addWithAlloc(DECODE, "avgt", SMALL, "ns/op", 540, 100, 1)      // tolerance 8 B
                .addWithAlloc(DECODE, "avgt", LARGE, "ns/op", 580000, 263861, 2) // tolerance 2 % = 5277 B
                .addWithAlloc(ENCODE, "avgt", SMALL, "ns/op", 400, 1228, 3)
                .addWithAlloc(ENCODE, "avgt", LARGE, "ns/op", 430000, 311980, 4)
                .write(dir.resolve("base.json"));
        Path c = new JmhJson()
                .addWithAlloc(DECODE, "avgt", SMALL, "ns/op", 540, 106, 1)      // +6 B: within 8
                .addWithAlloc(DECODE, "avgt", LARGE, "ns/op", 580000, 263861 + 5000, 2) // +1.9 %: within
                .addWithAlloc(ENCODE, "avgt", SMALL, "ns/op", 400, 1228 + 30, 3)  // +30 B (2.4 %): beyond both
                .addWithAlloc(ENCODE, "avgt", LARGE, "ns/op", 430000, 311980 - 20000, 4) // fell 6.4 %: improvement
                .write(dir.resolve("cur.json"));

        assertThat(compare(b, c)).isEqualTo(Gate.REGRESSED);

        assertThat(allocationLine("JettyFrameCodecBenchmark.decode", "payloadBytes=125")).contains("unchanged");
        assertThat(allocationLine("JettyFrameCodecBenchmark.decode", "payloadBytes=65536")).contains("unchanged");
        assertThat(allocationLine("TyrusFrameCodecBenchmark.encode", "payloadBytes=125")).contains("regression");
        assertThat(allocationLine("TyrusFrameCodecBenchmark.encode", "payloadBytes=65536")).contains("improvement");
        assertThat(stdout).contains("1 allocation regression:").contains("max(8 B/op, 2%)");

        assertThat(run("compare", "--baseline", b.toString(), "--current", c.toString(), "--alloc-bytes", "64")).isEqualTo(Gate.OK);
        assertThat(allocationLine("TyrusFrameCodecBenchmark.encode", "payloadBytes=125")).contains("unchanged");
    }

    @Test
    void anExtraAllocationInHalfTheForksOfABimodalRowIsARegression() throws IOException {
        // Jetty's 125-byte encode allocates 56 or 80 B/op by fork; the head adds 24 B/op to the fork that was at 56
        double[][] time = {{130, 131}, {129, 130}};
        Path b = withAlloc("base.json", time, new double[][] {{56, 56}, {80, 80}});
        Path c = withAlloc("cur.json", time, new double[][] {{80, 80}, {80, 80}});

        assertThat(compare(b, c)).isEqualTo(Gate.REGRESSED);

        // medians 68 and 80: +12 B/op, beyond 8; the old rule (lowest and highest both up) missed it, the highest stayed
        assertThat(allocationLine("TyrusFrameCodecBenchmark.encode")).contains("68.0").contains("+12.0").contains("56.0-80.0")
                .contains("80.0").contains("regression");
        assertThat(stdout).contains("FAIL: 1 allocation regression").contains("median of its per-fork figures");
    }

    @Test
    void oneOutlyingForkAndAFewBytesOfJitterAreNotARegression() throws IOException {
        // as measured in unchanged ab runs: one fork of four 56 B/op above the rest, the others within a byte or three
        double[][] time = {{130, 131}, {129, 130}, {131, 130}, {130, 129}};
        Path b = new JmhJson()
                .addWithSecondaries(DECODE, "avgt", SMALL, "ns/op", time, alloc(new double[][] {{684}, {684}, {684}, {684}}))
                .addWithSecondaries(ENCODE, "avgt", SMALL, "ns/op", time, alloc(new double[][] {{100.1}, {100.2}, {103.2}, {103.3}}))
                .write(dir.resolve("base.json"));
        Path c = new JmhJson()
                .addWithSecondaries(DECODE, "avgt", SMALL, "ns/op", time, alloc(new double[][] {{684}, {684}, {740}, {684}}))
                .addWithSecondaries(ENCODE, "avgt", SMALL, "ns/op", time, alloc(new double[][] {{100.2}, {100.4}, {100.4}, {100.4}}))
                .write(dir.resolve("cur.json"));

        assertThat(compare(b, c)).isEqualTo(Gate.OK);

        // the mean rose 14 B/op (beyond 2 % of 684), the highest fork 56: only the median holds still
        assertThat(allocationLine("JettyFrameCodecBenchmark.decode")).contains("684.0-740.0").contains("+0.00").contains("unchanged");
        assertThat(allocationLine("TyrusFrameCodecBenchmark.encode")).contains("unchanged");
    }

    @Test
    void anExtraAllocationInEveryForkIsARegression() throws IOException {
        double[][] time = {{130, 131}, {129, 130}, {131, 130}};
        Path b = withAlloc("base.json", time, new double[][] {{56, 56}, {80, 80}, {56, 56}});
        Path c = withAlloc("cur.json", time, new double[][] {{136, 136}, {160, 160}, {136, 136}});

        assertThat(compare(b, c)).isEqualTo(Gate.REGRESSED);
        assertThat(allocationLine("TyrusFrameCodecBenchmark.encode")).contains("+80.0").contains("136.0-160.0").contains("regression");
    }

    @Test
    void theRoundTripsAllocationIsGatedAndABaselineWithoutItIsNamed() throws IOException {
        // scripts/gate run's round trip under -prof gc: thrpt rows, bytes per echo of client and server together
        String roundTrip = "io.wsbench.roundtrip.EchoRoundTripBenchmark.throughput";
        Map<String, String> netty = Map.of("server", "netty", "payloadBytes", "64", "type", "binary", "placement", "shared");
        Map<String, String> jetty = Map.of("server", "jetty", "payloadBytes", "64", "type", "binary", "placement", "shared");
        Map<String, String> rawtcp = Map.of("server", "rawtcp", "payloadBytes", "64", "type", "binary", "placement", "shared");
        double[][] echoes = {{66000, 66100}, {65900, 66000}, {66050, 65950}};
        Path b = new JmhJson()
                .addWithSecondaries(roundTrip, "thrpt", netty, "ops/s", echoes, alloc(new double[][] {{140.6}, {140.9}, {141.2}}))
                .addWithSecondaries(roundTrip, "thrpt", rawtcp, "ops/s", echoes, alloc(new double[][] {{80.4}, {81.0}, {80.6}}))
                .addRaw(roundTrip, "thrpt", jetty, "ops/s", echoes) // recorded before the round trip had -prof gc
                .write(dir.resolve("base.json"));
        Path c = new JmhJson()
                .addWithSecondaries(roundTrip, "thrpt", netty, "ops/s", echoes, alloc(new double[][] {{204.6}, {204.9}, {205.0}}))
                .addWithSecondaries(roundTrip, "thrpt", rawtcp, "ops/s", echoes, alloc(new double[][] {{80.7}, {80.5}, {81.1}}))
                .addWithSecondaries(roundTrip, "thrpt", jetty, "ops/s", echoes, alloc(new double[][] {{300}, {300}, {300}}))
                .write(dir.resolve("cur.json"));

        assertThat(compare(b, c)).isEqualTo(Gate.REGRESSED);

        assertThat(allocationLine("EchoRoundTripBenchmark.throughput", "server=netty")).contains("thrpt").contains("+64.0").contains("regression");
        assertThat(allocationLine("EchoRoundTripBenchmark.throughput", "server=rawtcp")).contains("unchanged");
        assertThat(line("EchoRoundTripBenchmark.throughput", "server=netty")).contains("unchanged");
        assertThat(stdout).contains("FAIL: 1 allocation regression: EchoRoundTripBenchmark.throughput [thrpt]")
                .contains("WARNING: 1 benchmark has gc.alloc.rate.norm in one run only, so their allocation was not compared:"
                        + " EchoRoundTripBenchmark.throughput {payloadBytes=64, placement=shared, server=jetty, type=binary}"
                        + " (only in the current run)")
                .contains("scripts/gate run, then update-baseline");
    }

    private Path withAlloc(String name, double[][] time, double[][] alloc) throws IOException {
        return new JmhJson().addWithSecondaries(ENCODE, "avgt", SMALL, "ns/op", time, alloc(alloc)).write(dir.resolve(name));
    }

    private static Map<String, Map.Entry<String, double[][]>> alloc(double[][] forks) {
        return Map.of(AllocationGate.METRIC, Map.entry("B/op", forks));
    }

    @Test
    void runsWithoutProfGcHaveNoAllocationTable() throws IOException {
        Path b = new JmhJson().add(DECODE, "avgt", SMALL, "ns/op", 100, 0.01, 1).write(dir.resolve("base.json"));

        assertThat(compare(b, b)).isEqualTo(Gate.OK);
        assertThat(stdout).doesNotContain("B/op").doesNotContain("allocation:");
    }

    @Test
    void mergePoolsForksRunOneAtATimeIntoOneResult() throws IOException {
        Path[] parts = new Path[3];
        for (int fork = 0; fork < 3; fork++) {
            double[][] raw = {{100 + fork, 102 + fork}};
            double[][] alloc = {{684, 684}};
            parts[fork] = new JmhJson()
                    .addWithSecondaries(DECODE, "avgt", SMALL, "ns/op", raw,
                            Map.of(AllocationGate.METRIC, Map.entry("B/op", alloc)))
                    .addRaw(ENCODE, "avgt", SMALL, "ns/op", new double[][] {{400 + fork, 400 + fork}})
                    .write(dir.resolve("fork" + fork + ".json"));
        }
        Path out = dir.resolve("pooled.json");

        assertThat(run("merge", "--out", out.toString(), "--source", "abc123 (HEAD)", "--command", "scripts/gate ab --quick",
                parts[0].toString(), parts[1].toString(), parts[2].toString())).isEqualTo(Gate.OK);

        JmhResultFile pooled = JmhResultFile.read(out);
        assertThat(pooled.results()).hasSize(2);
        JmhResultFile.Result decode = pooled.results().get(0);
        assertThat(decode.forks()).isEqualTo(3);
        assertThat(decode.primaryMetric().forkMeans()).containsExactly(101, 102, 103);
        assertThat(decode.primaryMetric().score()).isCloseTo(102, within(1e-9));
        assertThat(decode.primaryMetric().scoreError()).isPositive();
        assertThat(decode.secondaryMetrics().get(AllocationGate.METRIC).score()).isCloseTo(684, within(1e-9));
        assertThat(decode.secondaryMetrics().get(AllocationGate.METRIC).forkMeans()).hasSize(3);
        assertThat(pooled.results().get(1).primaryMetric().forkMeans()).containsExactly(400, 401, 402);
        assertThat(Files.readString(dir.resolve("pooled.run.txt")))
                .contains("command: scripts/gate ab --quick").contains("git: abc123 (HEAD)")
                .contains("cpu: ").contains("nproc: ").contains("java vendor: ");
    }

    @Test
    void mergeRefusesPartsThatAreNotForksOfOnePreset() throws IOException {
        Path a = new JmhJson().addRaw(DECODE, "avgt", SMALL, "ns/op", new double[][] {{100, 101}}).write(dir.resolve("a.json"));
        Path b = new JmhJson().addRaw(DECODE, "avgt", SMALL, "ns/op", new double[][] {{100, 101, 102}}).write(dir.resolve("b.json"));

        assertThat(run("merge", "--out", dir.resolve("out.json").toString(), a.toString(), b.toString())).isEqualTo(Gate.BAD_INPUT);
        assertThat(stderr).contains("measurementIterations").contains("same JMH options");
    }

    private static double[] flat(double[][] forks) {
        return java.util.Arrays.stream(forks).flatMapToDouble(java.util.Arrays::stream).toArray();
    }



    /** The time table's line for the row containing every text (the first table). */
    private String line(String... texts) {
        return tableLines(false, texts);
    }

    /** The allocation table's line for the row containing every text. */
    private String allocationLine(String... texts) {
        return tableLines(true, texts);
    }

    private String tableLines(boolean allocation, String... texts) {
        String[] lines = stdout.split("\n");
        boolean inAllocation = false;
        for (String l : lines) {
            if (l.startsWith("Allocation (")) {
                inAllocation = true;
            }
            boolean all = java.util.Arrays.stream(texts).allMatch(l::contains);
            if (all && inAllocation == allocation && !l.startsWith("  ") && !l.startsWith("FAIL") && !l.startsWith("PASS")) {
                return l;
            }
        }
        throw new AssertionError("no " + (allocation ? "allocation" : "time") + " row with " + String.join(", ", texts) + " in:\n" + stdout);
    }
}
