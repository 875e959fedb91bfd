package io.wsbench.servers.python;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wsbench.client.ClientConfig;
import io.wsbench.client.EchoClient;
import io.wsbench.client.EchoConnection;
import io.wsbench.client.EchoLoad;
import io.wsbench.client.MessageType;
import io.wsbench.record.ProcessTreeUsage;
import io.wsbench.server.ServerConfig;
import io.wsbench.server.ServerStartException;
import io.wsbench.servers.EchoServers;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import io.wsbench.testing.MachineRequirement;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Python servers for real: each starts under the interpreter that has its packages (CI installs them with
 * apt-get, and there a missing package fails the test; on a machine without them the tests that need them are
 * reported as not run, naming the apt-get command: {@link MachineRequirement}), echoes with its "Echo: " prefix, keeps order under load
 * from many connections, reports its process for CPU and memory readings, and stops leaving no process behind.
 * Without the packages both fail at once naming the apt-get command.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class PythonServersTest {

    static Stream<String> pythonServers() {
        return EchoServers.childProcessNames().stream();
    }

    private static ClientConfig clientFor(ChildProcessServer server) {
        return ClientConfig.defaults().withEchoPrefix(server.echoPrefix()).withProtocol(server.protocol())
                .withEchoTimeout(Duration.ofSeconds(5)).withConnectTimeout(Duration.ofSeconds(5));
    }

    @ParameterizedTest
    @MethodSource("pythonServers")
    void echoesWithItsPrefixInOrderUnderLoadAndStopsLeavingNoProcess(String name) throws Exception {
        MachineRequirement.requirePythonServers();
        ChildProcessServer server = (ChildProcessServer) EchoServers.create(name, ServerConfig.defaults());
        assertThat(server.echoPrefix()).isEqualTo("Echo: ");
        long pid;
        List<ProcessHandle> tree;
        try (EchoClient client = new EchoClient(clientFor(server))) {
            URI uri = server.start();
            assertThat(uri.getHost()).isEqualTo("127.0.0.1");
            pid = server.serverPid().orElseThrow();
            ProcessTreeUsage before = ProcessTreeUsage.sample(pid);

            EchoConnection connection = client.connect(uri, MessageType.TEXT, 64);
            for (int i = 0; i < 100; i++) {
                connection.roundTrip();
            }
            assertThat(connection.echoed()).isEqualTo(100);
            connection.close(Duration.ofSeconds(5));

            EchoLoad load = EchoLoad.open(client, uri, MessageType.TEXT, 64, 20, 20);
            load.startClosedLoop(4);
            awaitEchoes(load, 4000);
            load.stop();
            load.throwIfFailed();
            assertThat(load.echoed()).isGreaterThanOrEqualTo(4000);
            load.close(Duration.ofSeconds(10));

            ProcessTreeUsage after = ProcessTreeUsage.sample(pid);
            assertThat(after.cpuNanosSince(before)).as("CPU the server used for 4100 echoes").isPositive();
            assertThat(after.residentSetMiB()).isPositive();
            tree = Stream.concat(Stream.of(ProcessHandle.of(pid).orElseThrow()), ProcessHandle.of(pid).orElseThrow().descendants())
                    .toList();
            assertThat(Files.readString(server.log())).as("the server's log").isNotBlank();
        } finally {
            server.close();
        }
        assertThat(tree).allSatisfy(p -> assertThat(p.isAlive()).as("pid %d after close", p.pid()).isFalse());
        assertThat(server.serverPid()).isEmpty();
        server.close(); // a second close does nothing
    }

    @ParameterizedTest
    @MethodSource("pythonServers")
    void withoutThePackagesTheStartFailsAtOnceNamingTheAptGetCommand(String name, @TempDir Path dir) throws IOException {
        Path fake = dir.resolve("python3");
        Files.writeString(fake, "#!/bin/sh\necho \"ModuleNotFoundError: No module named 'x'\" >&2\nexit 1\n");
        Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwx------"));
        String before = System.getProperty(PythonInterpreter.PROPERTY);
        System.setProperty(PythonInterpreter.PROPERTY, fake.toString());
        try (ChildProcessServer server = (ChildProcessServer) EchoServers.create(name, ServerConfig.defaults())) {
            assertThatThrownBy(server::start)
                    .isInstanceOf(ServerStartException.class)
                    .hasMessageContaining(name + " needs a Python 3 interpreter that can import")
                    .hasMessageContaining(fake + ": ModuleNotFoundError: No module named 'x'")
                    .hasMessageContaining(PythonInterpreter.APT_GET_INSTALL)
                    .hasMessageContaining("-Dwsbench.python");
            assertThat(server.serverPid()).isEmpty();
        } finally {
            if (before == null) {
                System.clearProperty(PythonInterpreter.PROPERTY);
            } else {
                System.setProperty(PythonInterpreter.PROPERTY, before);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("pythonServers")
    void aTakenFixedPortFailsTheStartWithTheServersOwnWords(String name) throws IOException {
        MachineRequirement.requirePythonServers();
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
                ChildProcessServer server = (ChildProcessServer) EchoServers.create(name,
                        ServerConfig.defaults().withPort(taken.getLocalPort()))) {
            assertThatThrownBy(server::start)
                    .isInstanceOf(ServerStartException.class)
                    .hasMessageContaining("port " + taken.getLocalPort() + " is already in use")
                    .hasMessageContaining("Last lines of its output");
            assertThat(server.serverPid()).isEmpty();
        }
    }

    @Test
    void moreServerThreadsThanOneAreRefused() {
        try (ChildProcessServer server = new FastApiEchoServer(ServerConfig.defaults().withServerThreads(2))) {
            assertThatThrownBy(server::start)
                    .isInstanceOf(ServerStartException.class)
                    .hasMessageContaining("serverThreads=2 is not supported");
        }
    }

    @Test
    void theRegistryKeepsThemOutOfTheWebSocketContractAndTheInProcessLists() {
        assertThat(EchoServers.childProcessNames()).containsExactly("fastapi", "flask-socketio");
        assertThat(EchoServers.webSocketNames()).doesNotContain("fastapi", "flask-socketio", "rawtcp").contains("netty");
        assertThat(EchoServers.inProcessNames()).doesNotContain("fastapi", "flask-socketio").contains("netty", "rawtcp");
    }

    @Test
    void theInterpreterNamesTheVersionsOfWhatItRuns() {
        MachineRequirement.requirePythonServers();
        for (Function<ServerConfig, ChildProcessServer> factory : List.<Function<ServerConfig, ChildProcessServer>>of(
                FastApiEchoServer::new, FlaskSocketIoEchoServer::new)) {
            ChildProcessServer server = factory.apply(ServerConfig.defaults());
            assertThat(server.interpreter().versions()).startsWith("Python 3.")
                    .contains(server instanceof FastApiEchoServer ? "uvicorn " : "eventlet ")
                    .doesNotContain("not installed");
        }
    }

    private static void awaitEchoes(EchoLoad load, long count) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (load.echoed() < count && load.failure() == null) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("only " + load.echoed() + " of " + count + " echoes within 60 s, and no failure");
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
    }

}
