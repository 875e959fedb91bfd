package io.wsbench.gate;

import io.wsbench.report.Units;
import io.wsbench.testing.JmhJson;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Drives {@code scripts/gate compare} through {@link Gate#run} on JMH files written by {@link JmhJson}. */
class GateCompareTest extends GateCommand {

    private static final String DECODE = "io.wsbench.codec.NettyFrameCodecBenchmark.decode";
    private static final String ENCODE = "io.wsbench.codec.JettyFrameCodecBenchmark.encode";
    private static final String ROUND_TRIP = "io.wsbench.roundtrip.EchoRoundTripBenchmark.roundTrip";
    private static final Map<String, String> SMALL = Map.of("payloadBytes", "125", "type", "text");
    private static final Map<String, String> LARGE = Map.of("payloadBytes", "65536", "type", "text");


    @Test
    void identicalRunsPass() throws IOException {
        JmhJson run = new JmhJson()
                .add(DECODE, "avgt", SMALL, "ns/op", 120, 0.02, 1)
                .add(DECODE, "avgt", LARGE, "ns/op", 9000, 0.02, 2)
                .add(ROUND_TRIP, "thrpt", Map.of("server", "netty"), "ops/s", 40000, 0.03, 3);
        Path base = run.write(dir.resolve("base.json"));
        Path cur = run.write(dir.resolve("cur.json"));

        int exit = compare(base, cur);

        assertThat(exit).isEqualTo(Gate.OK);
        assertThat(stdout).contains("PASS: no regression").contains("3 unchanged")
                .contains("Welch's t-test").contains("p < 0.01");
    }

    @Test
    void thirtyPercentSlowerTimeWithTightErrorsFailsNamingTheBenchmark() throws IOException {
        Path base = new JmhJson().add(DECODE, "avgt", SMALL, "ns/op", 100, 0.02, 1)
                .add(DECODE, "avgt", LARGE, "ns/op", 9000, 0.02, 2).write(dir.resolve("base.json"));
        Path cur = new JmhJson().add(DECODE, "avgt", SMALL, "ns/op", 130, 0.02, 11)
                .add(DECODE, "avgt", LARGE, "ns/op", 9000, 0.02, 12).write(dir.resolve("cur.json"));

        int exit = compare(base, cur);

        assertThat(exit).isEqualTo(Gate.REGRESSED);
        assertThat(stdout).contains("FAIL: 1 regression: NettyFrameCodecBenchmark.decode [avgt] {payloadBytes=125, type=text} +3");
        assertThat(line("payloadBytes=125")).contains("regression").contains("<0.0001");
        assertThat(line("payloadBytes=65536")).contains("unchanged");
    }

    @Test
    void thirtyPercentLowerThroughputIsARegressionAndHigherAnImprovement() throws IOException {
        Path base = new JmhJson()
                .add(ROUND_TRIP, "thrpt", Map.of("server", "netty"), "ops/s", 40000, 0.02, 1)
                .add(ROUND_TRIP, "thrpt", Map.of("server", "jetty"), "ops/s", 30000, 0.02, 2)
                .write(dir.resolve("base.json"));
        Path cur = new JmhJson()
                .add(ROUND_TRIP, "thrpt", Map.of("server", "netty"), "ops/s", 28000, 0.02, 3)
                .add(ROUND_TRIP, "thrpt", Map.of("server", "jetty"), "ops/s", 39000, 0.02, 4)
                .write(dir.resolve("cur.json"));

        int exit = compare(base, cur);

        assertThat(exit).isEqualTo(Gate.REGRESSED);
        assertThat(line("server=netty")).contains("regression");
        assertThat(change("server=netty")).isCloseTo(-30, within(3.0));
        assertThat(line("server=jetty")).contains("improvement");
        assertThat(change("server=jetty")).isCloseTo(30, within(3.0));
        assertThat(stdout).contains("FAIL: 1 regression: EchoRoundTripBenchmark.roundTrip [thrpt] {server=netty}");
    }

    @Test
    void fasterTimeAndLowerTimeAreImprovementsThatNeverFail() throws IOException {
        Path base = new JmhJson().add(ENCODE, "avgt", SMALL, "ns/op", 100, 0.02, 1).write(dir.resolve("base.json"));
        Path cur = new JmhJson().add(ENCODE, "avgt", SMALL, "ns/op", 60, 0.02, 2).write(dir.resolve("cur.json"));

        assertThat(compare(base, cur)).isEqualTo(Gate.OK);
        assertThat(line("payloadBytes=125")).contains("improvement");
        assertThat(change("payloadBytes=125")).isCloseTo(-40, within(3.0));
    }

    @Test
    void thirtyPercentChangeHiddenInWideErrorsIsNoise() throws IOException {
        // Iterations scatter by 60%: a 30% shift of the mean is well within what the spread explains.
        Path base = new JmhJson().add(DECODE, "avgt", SMALL, "ns/op", 100, 0.6, 1).write(dir.resolve("base.json"));
        double[][] shifted = JmhJson.samples(100, 0.6, JmhJson.FORKS, JmhJson.ITERATIONS, 1);
        for (double[] fork : shifted) {
            for (int i = 0; i < fork.length; i++) {
                fork[i] *= 1.3;
            }
        }
        Path cur = new JmhJson().addRaw(DECODE, "avgt", SMALL, "ns/op", shifted).write(dir.resolve("cur.json"));

        int exit = compare(base, cur);

        assertThat(exit).isEqualTo(Gate.OK);
        assertThat(line("payloadBytes=125")).contains("noise").contains("+30.0%");
        double p = Double.parseDouble(line("payloadBytes=125").replaceAll(".*%\\s+(\\S+)\\s+noise.*", "$1"));
        assertThat(p).isGreaterThanOrEqualTo(RegressionGate.DEFAULT_ALPHA);
    }

    @Test
    void sampleTimeSlowdownIsJudgedOnIterationMeans() throws IOException {
        Path base = new JmhJson().addSample(ROUND_TRIP, Map.of("server", "tyrus"), "us/op", 50, 0.02, 1)
                .write(dir.resolve("base.json"));
        Path cur = new JmhJson().addSample(ROUND_TRIP, Map.of("server", "tyrus"), "us/op", 70, 0.02, 2)
                .write(dir.resolve("cur.json"));

        assertThat(compare(base, cur)).isEqualTo(Gate.REGRESSED);
        assertThat(line("server=tyrus")).contains("sample").contains("regression");
        assertThat(change("server=tyrus")).isCloseTo(40, within(4.0));
    }

    @Test
    void thresholdOptionDecidesHowMuchWorseCounts() throws IOException {
        Path base = new JmhJson().add(DECODE, "avgt", SMALL, "ns/op", 100, 0.01, 1).write(dir.resolve("base.json"));
        Path cur = new JmhJson().add(DECODE, "avgt", SMALL, "ns/op", 106, 0.01, 2).write(dir.resolve("cur.json"));

        assertThat(compare(base, cur)).isEqualTo(Gate.OK);
        assertThat(line("payloadBytes=125")).contains("unchanged");
        assertThat(run("compare", "--baseline", base.toString(), "--current", cur.toString(), "--threshold", "5"))
                .isEqualTo(Gate.REGRESSED);
        assertThat(stdout).contains("more than 5% (3% for EchoRoundTripBenchmark) worse");
    }

    @Test
    void aRowThresholdJudgesTheRowsItNamesAndLeavesTheOthersAtTheDefault() throws IOException {
        // both rows 6 % slower with tight errors: the round trip's own 3 % flags it, the decode's default 10 % does not
        Path base = new JmhJson().add(DECODE, "avgt", SMALL, "ns/op", 100, 0.01, 1)
                .add(ROUND_TRIP, "avgt", SMALL, "us/op", 100, 0.01, 3).write(dir.resolve("base.json"));
        Path cur = new JmhJson().add(DECODE, "avgt", SMALL, "ns/op", 106, 0.01, 2)
                .add(ROUND_TRIP, "avgt", SMALL, "us/op", 106, 0.01, 4).write(dir.resolve("cur.json"));

        assertThat(run("compare", "--baseline", base.toString(), "--current", cur.toString(),
                "--row-threshold", "EchoRoundTripBenchmark=3")).isEqualTo(Gate.REGRESSED);
        assertThat(line("EchoRoundTripBenchmark.roundTrip")).contains("regression");
        assertThat(line("NettyFrameCodecBenchmark")).contains("unchanged");
        assertThat(stdout).contains("more than 10% (3% for EchoRoundTripBenchmark) worse");
        assertThat(run("compare", "--baseline", base.toString(), "--current", cur.toString(),
                "--row-threshold", "EchoRoundTripBenchmark")).isEqualTo(Gate.BAD_INPUT);
        assertThat(stderr).contains("--row-threshold needs NAME=PCT");
    }

    @Test
    void benchmarkMissingOnEitherSideIsReportedNotCrashedOn() throws IOException {
        Path base = new JmhJson().add(DECODE, "avgt", SMALL, "ns/op", 100, 0.02, 1)
                .add(DECODE, "avgt", LARGE, "ns/op", 9000, 0.02, 2).write(dir.resolve("base.json"));
        Path cur = new JmhJson().add(DECODE, "avgt", SMALL, "ns/op", 100, 0.02, 1)
                .add(ENCODE, "avgt", SMALL, "ns/op", 80, 0.02, 3).write(dir.resolve("cur.json"));

        int exit = compare(base, cur);

        assertThat(exit).isEqualTo(Gate.OK);
        assertThat(line("payloadBytes=65536")).contains("missing");
        assertThat(line("JettyFrameCodecBenchmark.encode")).contains("missing");
        assertThat(stdout).contains("only in the baseline").contains("only in the current run").contains("2 missing");
    }

    @Test
    void tooFewSamplesAreUntestedAndSaySo() throws IOException {
        Path base = new JmhJson().addRaw(DECODE, "avgt", SMALL, "ns/op", new double[][] {{100}})
                .add(DECODE, "avgt", LARGE, "ns/op", 9000, 0.02, 2).write(dir.resolve("base.json"));
        Path cur = new JmhJson().addRaw(DECODE, "avgt", SMALL, "ns/op", new double[][] {{150}})
                .add(DECODE, "avgt", LARGE, "ns/op", 9000, 0.02, 2).write(dir.resolve("cur.json"));

        assertThat(compare(base, cur)).isEqualTo(Gate.OK);
        assertThat(line("payloadBytes=125")).contains("untested").contains("+50.0%");
        assertThat(stdout).contains("1 baseline and 1 current forks").contains("at least 2").contains("-f 2");
    }

    @Test
    void runsWhereNothingCanBeTestedAreBadInput() throws IOException {
        Path base = new JmhJson().addRaw(DECODE, "avgt", SMALL, "ns/op", new double[][] {{100}}).write(dir.resolve("base.json"));
        Path cur = new JmhJson().addRaw(DECODE, "avgt", SMALL, "ns/op", new double[][] {{150}}).write(dir.resolve("cur.json"));

        assertThat(compare(base, cur)).isEqualTo(Gate.BAD_INPUT);
        assertThat(stderr).contains("nothing was tested").contains("-f 2");
    }

    @Test
    void markdownHoldsTheSameTableForAPullRequestComment() throws IOException {
        Path base = new JmhJson().add(DECODE, "avgt", SMALL, "ns/op", 100, 0.02, 1).write(dir.resolve("base.json"));
        Path cur = new JmhJson().add(DECODE, "avgt", SMALL, "ns/op", 130, 0.02, 2).write(dir.resolve("cur.json"));
        Path md = dir.resolve("out/gate.md");

        assertThat(run("compare", "--baseline", base.toString(), "--current", cur.toString(), "--markdown", md.toString()))
                .isEqualTo(Gate.REGRESSED);

        String markdown = Files.readString(md);
        assertThat(markdown).contains("### Benchmark regression gate")
                .contains("**FAIL: 1 regression")
                .contains("| benchmark | mode | params | baseline | current | change | p-value | verdict |")
                .contains("| NettyFrameCodecBenchmark.decode | avgt | payloadBytes=125, type=text |")
                .contains("| regression |")
                .contains("Welch's t-test");
    }

    @Test
    void missingFileIsBadInputNamingIt() throws IOException {
        Path cur = new JmhJson().add(DECODE, "avgt", SMALL, "ns/op", 100, 0.02, 1).write(dir.resolve("cur.json"));

        assertThat(compare(dir.resolve("absent.json"), cur)).isEqualTo(Gate.BAD_INPUT);
        assertThat(stderr).contains("absent.json: no such file");
    }

    @Test
    void fileThatIsNotJmhJsonIsBadInput() throws IOException {
        Path text = Files.writeString(dir.resolve("text.json"), "Benchmark Mode Cnt Score Error Units\n");
        Path cur = new JmhJson().add(DECODE, "avgt", SMALL, "ns/op", 100, 0.02, 1).write(dir.resolve("cur.json"));

        assertThat(compare(text, cur)).isEqualTo(Gate.BAD_INPUT);
        assertThat(stderr).contains("text.json").contains("-rf json");
    }

    @Test
    void runsWithNoBenchmarkInCommonAreBadInput() throws IOException {
        Path base = new JmhJson().add(DECODE, "avgt", SMALL, "ns/op", 100, 0.02, 1).write(dir.resolve("base.json"));
        Path cur = new JmhJson().add(ENCODE, "avgt", SMALL, "ns/op", 100, 0.02, 1).write(dir.resolve("cur.json"));

        assertThat(compare(base, cur)).isEqualTo(Gate.BAD_INPUT);
        assertThat(stderr).contains("no benchmark in common").contains(DECODE).contains(ENCODE);
    }

    @Test
    void differentUnitsAreBadInputNamingTheFix() throws IOException {
        Path base = new JmhJson().add(DECODE, "avgt", SMALL, "ns/op", 100, 0.02, 1).write(dir.resolve("base.json"));
        Path cur = new JmhJson().add(DECODE, "avgt", SMALL, "us/op", 0.1, 0.02, 1).write(dir.resolve("cur.json"));

        assertThat(compare(base, cur)).isEqualTo(Gate.BAD_INPUT);
        assertThat(stderr).contains("ns/op").contains("us/op").contains("-tu");
    }

    @Test
    void badOptionsAreBadInputAndHelpIsUsage() throws IOException {
        Path base = new JmhJson().add(DECODE, "avgt", SMALL, "ns/op", 100, 0.02, 1).write(dir.resolve("base.json"));

        assertThat(run("compare", "--baseline", base.toString(), "--current", base.toString(), "--threshold", "ten"))
                .isEqualTo(Gate.BAD_INPUT);
        assertThat(stderr).contains("--threshold must be a number");
        assertThat(run("compare", "--baseline", base.toString())).isEqualTo(Gate.BAD_INPUT);
        assertThat(stderr).contains("missing --current");
        assertThat(run("compare", "-h")).isEqualTo(Gate.OK);
        assertThat(stdout).contains("usage: scripts/gate compare");
        assertThat(run("frobnicate")).isEqualTo(Gate.BAD_INPUT);
        assertThat(stderr).contains("unknown command 'frobnicate'");
    }

    @Test
    void welchPValueHandlesConstantSamples() {
        assertThat(RegressionGate.welchPValue(new double[] {5, 5, 5}, new double[] {5, 5})).isEqualTo(1.0);
        assertThat(RegressionGate.welchPValue(new double[] {5, 5, 5}, new double[] {6, 6})).isEqualTo(0.0);
        assertThat(RegressionGate.welchPValue(new double[] {1, 2, 3, 4}, new double[] {1, 2, 3, 4})).isEqualTo(1.0);
    }



    /** The change column of the row containing {@code text}, in percent. */
    private double change(String text) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("  ([+-][0-9.]+)%  ").matcher(line(text));
        assertThat(m.find()).as("change column in %s", line(text)).isTrue();
        return Double.parseDouble(m.group(1));
    }

    /** The table line for the row containing {@code text}. */
    private String line(String text) {
        return stdout.lines().filter(l -> l.contains(text) && !l.startsWith("  ") && !l.startsWith("FAIL") && !l.startsWith("PASS"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no table row with '" + text + "' in:\n" + stdout));
    }
}
