package io.wsbench.jmh;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;


import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Every wrong parameter value or combination fails the benchmark scaffold's trial setup ({@link MeasuredServer}) at
 * once, naming the valid values, before any server starts. Calls the setup directly; FaultToleranceTest shows the same
 * through JMH.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MeasuredServerParamsTest {
    private Trial benchmark;

    /** The parameters a trial sets: the scaffold's own and the benchmark's payloadBytes and type it checks. */
    private static final class Trial {
        String server;
        int payloadBytes;
        String type;
        int serverThreads;
        int port;
        String transport;
        String target;
        boolean trustAllCertificates;
        String echoPrefix;
        String serverProcess;
        String tls = "false";
        String tlsProvider = "jdk";
        String compression = "none";
        String payloadContent = "fixed";
        String placement = "none";
        private MeasuredServer measured;

        void startServer() {
            measured = new MeasuredServer();
            measured.messageType(type);
            measured.server = server;
            measured.serverThreads = serverThreads;
            measured.port = port;
            measured.transport = transport;
            measured.target = target;
            measured.trustAllCertificates = trustAllCertificates;
            measured.echoPrefix = echoPrefix;
            measured.placement = placement;
            measured.serverProcess(serverProcess);
            measured.scenario(tls, tlsProvider, compression, payloadContent);
            measured.start(payloadBytes);
        }

        void stopServer() {
            if (measured != null) {
                measured.stop();
            }
        }
    }

    /** The benchmark with the values JMH would give it by default, changed by {@code change}. */
    private static Trial benchmark(Consumer<Trial> change) {
        Trial b = new Trial();
        b.server = "netty";
        b.payloadBytes = 64;
        b.type = "text";
        b.serverThreads = 1;
        b.port = 0;
        b.transport = "auto";
        b.target = "";
        b.trustAllCertificates = false;
        b.echoPrefix = "";
        b.serverProcess = "embedded";
        change.accept(b);
        return b;
    }

    private AbstractThrowableAssert<?, ? extends Throwable> assertSetupFails(Consumer<Trial> change) {
        benchmark = benchmark(change);
        return assertThatThrownBy(benchmark::startServer).isInstanceOf(IllegalArgumentException.class);
    }

    @AfterEach
    void stopWhateverStarted() {
        if (benchmark != null) {
            benchmark.stopServer();
        }
    }

    @Test
    void unknownServerListsTheValidOnes() {
        assertSetupFails(b -> b.server = "nosuchserver")
                .hasMessage("unknown server 'nosuchserver': valid servers are "
                        + String.join(", ", io.wsbench.servers.EchoServers.names()) + " (e.g. -p server=netty)");
    }

    @Test
    void aJava21ServerOnAnOlderJvmNamesTheJdkItNeeds() {
        assumeTrue(Runtime.version().feature() < 21, "this JVM runs server=helidon; the message is for older ones");
        assertSetupFails(b -> b.server = "helidon")
                .hasMessage("server=helidon needs Java 21 or newer (this JVM is " + System.getProperty("java.version")
                        + "); run JMH with -jvm /path/to/jdk21+/bin/java or set JAVA_HOME");
    }

    @Test
    void aScenarioParameterWithAnUnknownValueListsTheValidOnes() {
        assertSetupFails(b -> b.tls = "yes").hasMessageContaining("tls must be true or false");
        assertSetupFails(b -> b.tlsProvider = "wolfssl").hasMessageContaining("use jdk").hasMessageContaining("openssl");
        assertSetupFails(b -> b.compression = "gzip").hasMessageContaining("use none or deflate");
        assertSetupFails(b -> b.payloadContent = "zeros").hasMessageContaining("use fixed").hasMessageContaining("json");
    }

    @Test
    void tlsOnAServerThatServesWsOnlyNamesTheOnesThatServeWss() {
        assertSetupFails(b -> {
            b.server = "rawtcp";
            b.tls = "true";
        }).hasMessageContaining("tls=true: server=rawtcp serves ws:// only").hasMessageContaining("netty");
        assertSetupFails(b -> {
            b.server = "netty@edge";
            b.target = "ws://127.0.0.1:9/echo";
            b.tls = "true";
        }).hasMessageContaining("with -p target the URI says it");
    }

    @Test
    void deflateOnAFloorSaysItIsAWebSocketExtension() {
        assertSetupFails(b -> {
            b.server = "socket";
            b.compression = "deflate";
        }).hasMessageContaining("permessage-deflate, a WebSocket extension");
    }

    @Test
    void unknownTypeListsTheValidOnes() {
        assertSetupFails(b -> b.type = "json")
                .hasMessage("unknown message type 'json': use text or binary (e.g. -p type=text)");
    }

    @Test
    void unknownTransportListsTheValidOnes() {
        assertSetupFails(b -> b.transport = "io_uring")
                .hasMessage("unknown transport 'io_uring': use auto, epoll or nio");
    }

    @Test
    void malformedTargetShowsTheAcceptedForms() {
        assertSetupFails(b -> {
            b.server = "netty@edge";
            b.target = "http://edge:8080/echo";
        }).hasMessageContaining("target 'http://edge:8080/echo' is not a server address (the scheme must be ws, wss or tcp)")
                .hasMessageContaining("use ws://HOST:PORT/PATH, wss://HOST:PORT/PATH, or tcp://HOST:PORT");
    }

    @Test
    void payloadAboveTheMessageLimitNamesTheLimit() {
        assertSetupFails(b -> b.payloadBytes = 2_000_000)
                .hasMessage("payloadBytes=2000000 is above the maximum message size of 1048576 bytes that the client and"
                        + " the embedded servers accept; use payloadBytes <= 1048576");
    }

    @Test
    void payloadTooSmallForTheSequenceFieldIsRefused() {
        assertSetupFails(b -> {
            b.payloadBytes = 15;
            b.type = "text";
        }).hasMessage("payloadBytes=15 is too small for type=text: every message carries its sequence number (16 bytes) so"
                + " that a lost or reordered echo is caught; use payloadBytes >= 16 (binary needs 8, text 16)");
        assertSetupFails(b -> {
            b.payloadBytes = 7;
            b.type = "binary";
        }).hasMessageStartingWith("payloadBytes=7 is too small for type=binary");
    }

    @Test
    void portOutOfRangeIsRefused() {
        assertSetupFails(b -> b.port = 70000).hasMessage("port must be 0 (ephemeral) or 1..65535, was 70000");
    }

    @Test
    void portWithATargetIsRefusedBecauseTheTargetHasItsOwn() {
        assertSetupFails(b -> {
            b.server = "netty@edge";
            b.target = "ws://edge:8080/echo";
            b.port = 9000;
        }).hasMessageContaining("port=9000 is the embedded server's port, but with target ws://edge:8080/echo nothing starts here")
                .hasMessageContaining("drop -p port");
    }

    @Test
    void anUnknownPlacementOrACpuThisJvmMayNotUseIsRefusedBeforeTheServerStarts() {
        assertSetupFails(b -> b.placement = "pinned").hasMessageStartingWith("unknown placement 'pinned': use shared")
                .hasMessageContaining("split").hasMessageContaining("none");
        assumeTrue(System.getProperty("os.name").startsWith("Linux"), "CPU numbers are checked on Linux");
        assertSetupFails(b -> b.placement = "split:0/1023").hasMessageContaining("names CPU 1023, which does not exist"
                + " or this JVM may not use");
    }

    @Test
    void unknownServerProcessNamesTheValidOnes() {
        assertSetupFails(b -> b.serverProcess = "remote")
                .hasMessageStartingWith("unknown serverProcess 'remote': use embedded or forked");
    }

    @Test
    void forkedIsRefusedWithATargetAndForAPythonServer() {
        assertSetupFails(b -> {
            b.server = "netty@edge";
            b.target = "ws://edge:8080/echo";
            b.serverProcess = "forked";
        }).hasMessageContaining("serverProcess=forked starts the embedded server in a child JVM, but with target"
                + " ws://edge:8080/echo nothing starts here");
        assertSetupFails(b -> {
            b.server = "fastapi";
            b.serverProcess = "forked";
        }).hasMessageContaining("server=fastapi is a Python app that always runs as a child process of its own");
    }

    @Test
    void echoPrefixWithAnEmbeddedServerIsRefusedBecauseItWouldFailEveryEcho() {
        assertSetupFails(b -> b.echoPrefix = "Echo: ")
                .hasMessageContaining("echoPrefix='Echo: ' is for a -p target server")
                .hasMessageContaining("the embedded server netty echoes messages unchanged")
                .hasMessageContaining("drop -p echoPrefix, or add -p target=ws://HOST:PORT/PATH");
    }

    @Test
    void parametersAreCheckedBeforeTheServerTriesToStart() throws IOException {
        // The port is taken: had the server been started first, the error would be about binding it.
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            assertSetupFails(b -> {
                b.port = taken.getLocalPort();
                b.payloadBytes = 2_000_000;
            }).hasMessageStartingWith("payloadBytes=2000000 is above the maximum message size");
            assertSetupFails(b -> {
                b.port = taken.getLocalPort();
                b.echoPrefix = "Echo: ";
            }).hasMessageStartingWith("echoPrefix='Echo: ' is for a -p target server");
        }
    }
}
