package io.wsbench.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wsbench.client.EchoFailedException.Kind;
import io.wsbench.record.RateCheck;
import io.wsbench.server.EchoServer;
import io.wsbench.servers.NettyEchoServer;
import io.wsbench.servers.RawTcpEchoServer;
import io.wsbench.server.ServerConfig;
import io.wsbench.testing.FaultyEcho;
import io.wsbench.testing.FaultyEcho.Fault;
import io.wsbench.testing.SlowEcho;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Many connections driven by the closed and the open loop against real servers on loopback. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EchoLoadTest {
    private EchoClient client;
    private EchoServer server;

    @BeforeEach
    void startClient() {
        client = new EchoClient(ClientConfig.defaults().withConnectTimeout(Duration.ofSeconds(2)));
    }

    @AfterEach
    void stopAll() {
        client.close();
        if (server != null) {
            server.close();
        }
    }

    private URI start(EchoServer s) {
        server = s;
        return s.start();
    }

    /** Behaviour, not timing: the open loop keeps sending on its own, every echo is verified and recorded, none lost. */
    /**
     * The ramp spreads the handshakes: the last of 5 connections over 400 ms is due 320 ms after the first, so opening
     * cannot take less (a lower bound that sleeping guarantees, however busy the machine), and every connection opens.
     */
    @Test
    void aRampOpensTheConnectionsSpreadOverItAndAllOfThem() {
        URI uri = start(new NettyEchoServer(ServerConfig.defaults()));
        long started = System.nanoTime();
        EchoLoad load = EchoLoad.open(client, uri, MessageType.TEXT, 64, 5, 50, Duration.ofMillis(400));
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

        assertThat(load.size()).isEqualTo(5);
        assertThat(tookMillis).isGreaterThanOrEqualTo(320);
        assertThatThrownBy(() -> EchoLoad.open(client, uri, MessageType.TEXT, 64, 5, 50, Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must not be negative");
        load.close();
    }

    @Test
    void openLoopSendsOnItsScheduleAndRecordsEveryEcho() {
        EchoLoad load = EchoLoad.open(client, start(new NettyEchoServer(ServerConfig.defaults())), MessageType.TEXT, 64, 5, 50);
        load.startOpenLoop(new OpenLoopSchedule(2000, 5, Duration.ofMillis(1)));
        waitUntil(() -> load.echoed() >= 500, Duration.ofSeconds(30));
        load.stop();
        long echoed = load.echoed();

        assertThat(load.failure()).isNull();
        assertThat(load.latency().intervalHistogram(0, 0).getTotalCount()).isEqualTo(echoed);
        assertThat(load.sendLag().intervalHistogram(0, 0).getTotalCount()).isEqualTo(echoed);
        load.close();
    }

    @Test
    void openLoopAgainstATooSlowServerIsMarkedInvalid() {
        // One connection to a server that needs 20 ms per message: at most 50 of the 200 msg/s offered come back.
        EchoLoad load = EchoLoad.open(client, start(SlowEcho.serial(Duration.ofMillis(20))), MessageType.BINARY, 64, 1, 1);
        long startNanos = System.nanoTime();
        load.startOpenLoop(new OpenLoopSchedule(200, 1));
        sleep(Duration.ofSeconds(1));
        double achieved = load.echoed() * 1e9 / (System.nanoTime() - startNanos);
        load.close(Duration.ofSeconds(2));

        RateCheck check = new RateCheck(200, achieved);
        assertThat(check.valid()).isFalse();
        assertThat(check.shortfallPercent()).isGreaterThan(RateCheck.MAX_SHORTFALL_PERCENT);
        assertThat(check.describe()).startsWith("INVALID RUN").contains("200 msg/s target");
    }

    @Test
    void closedLoopKeepsMessagesInFlightAndStopDrainsThem() {
        EchoLoad load = EchoLoad.open(client, start(new RawTcpEchoServer(ServerConfig.defaults())), MessageType.BINARY, 128, 10, 50);
        load.startClosedLoop(3);
        waitUntil(() -> load.echoed() >= 1000, Duration.ofSeconds(30));
        load.stop();
        long echoed = load.echoed();
        sleep(Duration.ofMillis(50));

        assertThat(echoed).isGreaterThanOrEqualTo(1000);
        assertThat(load.echoed()).as("nothing is sent after stop()").isEqualTo(echoed);
        assertThat(load.latency().intervalHistogram(0, 0).getTotalCount()).isEqualTo(echoed);
        assertThat(load.sendLag().intervalHistogram(0, 0).getTotalCount()).isEqualTo(echoed);
        assertThat(load.latency().intervalHistogram(0, 0).getTotalCount()).as("each read starts a new interval").isZero();
        load.close();
    }

    @Test
    void aBrokenEchoOnAnyConnectionFailsTheLoad() {
        EchoLoad load = EchoLoad.open(client, start(FaultyEcho.server(Fault.CORRUPT, 3, 0)), MessageType.TEXT, 64, 4, 50);
        load.startClosedLoop(1);
        waitUntil(() -> load.failure() != null, Duration.ofSeconds(5));

        assertThat(load.failure()).isNotNull();
        assertThat(load.failure().kind()).isEqualTo(Kind.CORRUPTED);
        assertThatThrownBy(load::stop).isInstanceOf(EchoFailedException.class).hasMessageContaining("corrupted echo of message #3");
        load.close();
    }

    @Test
    void failingToConnectSaysHowManyConnectionsOpened() throws IOException {
        int freePort;
        try (ServerSocket s = new ServerSocket(0)) {
            freePort = s.getLocalPort();
        }
        assertThatThrownBy(() -> EchoLoad.open(client, URI.create("ws://127.0.0.1:" + freePort + "/echo"), MessageType.TEXT, 64, 5, 2))
                .isInstanceOfSatisfying(EchoFailedException.class, e -> assertThat(e.kind()).isEqualTo(Kind.CONNECT))
                .hasMessageContaining("opened 0 of 5 connections")
                .hasMessageContaining("-p connections");
    }

    @Test
    void thousandConnectionsOpenAndCloseWithoutLeakingFileDescriptors() {
        URI uri = start(new NettyEchoServer(ServerConfig.defaults()));
        EchoLoad.open(client, uri, MessageType.TEXT, 16, 10, 50).close(); // loads the classes and buffers first
        long before = openFileDescriptors();

        EchoLoad load = EchoLoad.open(client, uri, MessageType.TEXT, 16, 1000, 50);
        assertThat(load.size()).isEqualTo(1000);
        assertThat(openFileDescriptors()).as("client and server end of every connection").isGreaterThan(before + 1900);
        load.startClosedLoop(1);
        waitUntil(() -> load.echoed() >= 2000, Duration.ofSeconds(10));
        assertThat(load.echoed()).as("every connection echoes").isGreaterThanOrEqualTo(2000);
        load.stop();
        load.close();

        waitUntil(() -> openFileDescriptors() <= before + 5, Duration.ofSeconds(10));
        assertThat(openFileDescriptors()).isLessThanOrEqualTo(before + 5);
    }

    private static long openFileDescriptors() {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot count open files in /proc/self/fd (Linux only)", e);
        }
    }

    private static void waitUntil(BooleanSupplier condition, Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            sleep(Duration.ofMillis(10));
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
