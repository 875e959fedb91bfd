package io.wsbench.jmh;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.wsbench.harness.ServeMain;
import io.wsbench.testing.JavaProcess;
import io.wsbench.testing.MachineRequirement;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openjdk.jmh.Main;

/**
 * The two-host set-up for real, inside one machine: a server host and a client host as two network
 * namespaces joined by a veth pair, {@code ServeMain} in one and the round-trip benchmark ({@code -p
 * target=ws://10.213.0.1:PORT/echo}) in the other, so every message crosses a network interface.
 * Skipped unless this runs as root with iproute2's {@code ip} (namespaces need both).
 *
 * <p>Addresses are from 10.213.0.0/30 and exist only inside the two namespaces created here; both
 * namespaces (and with them the veth pair) and the server process are removed afterwards.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class TwoHostNamespaceTest {
    private static final String SERVER_ADDRESS = "10.213.0.1";
    private static final String CLIENT_ADDRESS = "10.213.0.2";
    private static final long COMMAND_TIMEOUT_SECONDS = 30;
    private static final long BENCHMARK_TIMEOUT_SECONDS = 120;

    private final String suffix = String.valueOf(ProcessHandle.current().pid());
    private final String serverNs = "wsb-srv-" + suffix;
    private final String clientNs = "wsb-cli-" + suffix;
    private final String serverIf = "wsbs" + suffix; // at most 15 characters: pids have at most 7 digits
    private final String clientIf = "wsbc" + suffix;
    private final List<String> createdNamespaces = new ArrayList<>();
    private String ip;
    private Process server;
    private URI target;

    @BeforeAll
    void createHostsAndStartServer(@TempDir Path dir) throws Exception {
        ip = findIp();
        MachineRequirement.require(ip != null, "iproute2's ip command (apt-get install iproute2)");
        Result probe = run(ip, "netns", "add", serverNs);
        MachineRequirement.require(probe.ok(), "network namespaces (they need root and a kernel that allows them): "
                + probe.output());
        createdNamespaces.add(serverNs);
        check(ip, "netns", "add", clientNs);
        createdNamespaces.add(clientNs);
        check(ip, "link", "add", serverIf, "type", "veth", "peer", "name", clientIf);
        check(ip, "link", "set", serverIf, "netns", serverNs);
        check(ip, "link", "set", clientIf, "netns", clientNs);
        check(ip, "-n", serverNs, "addr", "add", SERVER_ADDRESS + "/30", "dev", serverIf);
        check(ip, "-n", clientNs, "addr", "add", CLIENT_ADDRESS + "/30", "dev", clientIf);
        for (String[] nsAndIf : new String[][] {{serverNs, serverIf}, {clientNs, clientIf}}) {
            check(ip, "-n", nsAndIf[0], "link", "set", "lo", "up");
            check(ip, "-n", nsAndIf[0], "link", "set", nsAndIf[1], "up");
        }
        List<String> serve = inNamespace(serverNs, JavaProcess.command(ServeMain.class.getName(),
                "netty", "--host", SERVER_ADDRESS, "--port", "0", "--for", "170"));
        server = new ProcessBuilder(serve).redirectError(dir.resolve("serve.err").toFile()).start();
        target = URI.create(JavaProcess.firstLine(server, 30));
    }

    @AfterAll
    void removeHosts() throws Exception {
        try {
            if (server != null) {
                JavaProcess.stop(server);
            }
        } finally {
            for (String ns : createdNamespaces) {
                check(ip, "netns", "del", ns); // takes the veth end inside it, and so the pair, along
            }
            if (ip != null && run(ip, "link", "show", serverIf).ok()) {
                check(ip, "link", "del", serverIf); // set-up failed before the pair moved into the namespaces
            }
        }
    }

    @Test
    void roundTripBenchmarkInTheClientNamespaceMeasuresTheServerInTheOther(@TempDir Path dir) throws Exception {
        assertThat(target.getHost()).isEqualTo(SERVER_ADDRESS);
        long receivedBefore = serverInterfaceBytes("rx_bytes");
        JsonObject result = runBenchmark(dir, "latency");
        assertThat(result.getAsJsonObject("params").get("target").getAsString()).isEqualTo(target.toString());
        assertThat(result.getAsJsonObject("primaryMetric").get("score").getAsDouble()).isPositive();
        long rounds = sampleCount(result);
        assertThat(rounds).isPositive();
        // The messages really crossed the veth pair: the server's end received at least 64 bytes per round trip.
        assertThat(serverInterfaceBytes("rx_bytes") - receivedBefore).isGreaterThanOrEqualTo(64 * rounds);
    }

    @Test
    void addedNetworkDelayShowsInTheMedianRoundTrip(@TempDir Path dir) throws Exception {
        int delayMillis = 5;
        Result netem = run(ip, "netns", "exec", serverNs, "tc", "qdisc", "add", "dev", serverIf, "root", "netem", "delay",
                delayMillis + "ms");
        // A kernel feature, not a package: some kernels (this project's machines among them) are built without it.
        Assumptions.assumeTrue(netem.ok(), "skipped: tc netem is not available in this kernel (sch_netem): " + netem.output());
        List<String[]> delayed = new ArrayList<>();
        delayed.add(new String[] {serverNs, serverIf});
        try {
            check(ip, "netns", "exec", clientNs, "tc", "qdisc", "add", "dev", clientIf, "root", "netem", "delay", delayMillis + "ms");
            delayed.add(new String[] {clientNs, clientIf});
            JsonObject result = runBenchmark(dir, "latency");
            double p50Micros = result.getAsJsonObject("primaryMetric").getAsJsonObject("scorePercentiles").get("50.0").getAsDouble();
            // Each direction is delayed once, so no round trip can be faster than twice the delay.
            assertThat(p50Micros).isGreaterThanOrEqualTo(2 * delayMillis * 1000.0);
        } finally {
            // The other test shares the namespaces: take the delay away again.
            for (String[] nsAndIf : delayed) {
                check(ip, "netns", "exec", nsAndIf[0], "tc", "qdisc", "del", "dev", nsAndIf[1], "root");
            }
        }
    }

    /** Runs EchoRoundTripBenchmark.{@code method} inside the client namespace against the target; its JSON result. */
    private JsonObject runBenchmark(Path dir, String method) throws IOException, InterruptedException {
        Path json = dir.resolve(method + ".json");
        Path log = dir.resolve(method + ".log");
        List<String> jmh = inNamespace(clientNs, JavaProcess.command(Main.class.getName(),
                "io.wsbench.roundtrip.EchoRoundTripBenchmark." + method + "$",
                "-p", "server=netty@" + SERVER_ADDRESS, "-p", "target=" + target, "-p", "payloadBytes=64", "-p", "type=binary",
                "-f", "1", "-wi", "1", "-w", "500ms", "-i", "1", "-r", "1s", "-jvmArgsPrepend", "-Xms256m -Xmx256m",
                "-foe", "true", "-rf", "json", "-rff", json.toString()));
        Process p = new ProcessBuilder(jmh).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean done = p.waitFor(BENCHMARK_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        if (!done) {
            p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
        String output = Files.readString(log);
        assertThat(done).as("benchmark finished within %d s:%n%s", BENCHMARK_TIMEOUT_SECONDS, output).isTrue();
        assertThat(p.exitValue()).as("benchmark exit code, output:%n%s", output).isZero();
        JsonArray results = JsonParser.parseString(Files.readString(json)).getAsJsonArray();
        assertThat(results).hasSize(1);
        return results.get(0).getAsJsonObject();
    }

    /** Round trips recorded by JMH's sample mode: the sum of the counts of its raw histogram. */
    private static long sampleCount(JsonObject result) {
        long count = 0;
        for (var fork : result.getAsJsonObject("primaryMetric").getAsJsonArray("rawDataHistogram")) {
            for (var iteration : fork.getAsJsonArray()) {
                for (var bucket : iteration.getAsJsonArray()) {
                    count += bucket.getAsJsonArray().get(1).getAsLong();
                }
            }
        }
        return count;
    }

    private long serverInterfaceBytes(String counter) throws IOException, InterruptedException {
        Result read = check(ip, "netns", "exec", serverNs, "cat", "/sys/class/net/" + serverIf + "/statistics/" + counter);
        return Long.parseLong(read.output().trim());
    }

    private List<String> inNamespace(String ns, List<String> command) {
        List<String> wrapped = new ArrayList<>(List.of(ip, "netns", "exec", ns));
        wrapped.addAll(command);
        return wrapped;
    }

    private static String findIp() {
        List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)));
        dirs.addAll(List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin"));
        for (String d : dirs) {
            Path candidate = Path.of(d.isEmpty() ? "." : d, "ip");
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        return null;
    }

    private record Result(int exitCode, String output) {
        boolean ok() {
            return exitCode == 0;
        }
    }

    private static Result check(String... command) throws IOException, InterruptedException {
        Result r = run(command);
        assertThat(r.ok()).as("%s failed: %s", String.join(" ", command), r.output()).isTrue();
        return r;
    }

    /** Runs a command with a time limit; its output goes through a file, so a chatty command cannot block on a full pipe. */
    private static Result run(String... command) throws IOException, InterruptedException {
        Path output = Files.createTempFile("wsbench-cmd", ".txt");
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
            if (!p.waitFor(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                return new Result(-1, String.join(" ", command) + " did not finish within " + COMMAND_TIMEOUT_SECONDS + " s");
            }
            return new Result(p.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
        } finally {
            Files.delete(output);
        }
    }
}
