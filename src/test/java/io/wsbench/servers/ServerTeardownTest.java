package io.wsbench.servers;

import io.wsbench.server.EchoServer;
import io.wsbench.server.ServerConfig;

import static org.assertj.core.api.Assertions.assertThat;

import io.wsbench.client.ClientConfig;
import io.wsbench.client.EchoClient;
import io.wsbench.client.EchoConnection;
import io.wsbench.client.MessageType;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Starting and stopping a server 50 times in one JVM, with a verified echo each time, leaves nothing
 * behind: no thread, no file descriptor, no listening port, and the heap back near where it began.
 * Measured, not assumed: a JMH fork runs one trial after another, and a leak there skews later trials.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ServerTeardownTest {
    private static final int CYCLES = 50;
    private static final long HEAP_MARGIN_BYTES = 16L << 20;
    private static final Duration SETTLE = Duration.ofSeconds(10);

    static Stream<String> servers() {
        // The child-process servers get their own start-and-stop test (PythonServersTest): 50 Python starts are too slow here.
        return EchoServers.inProcessNames().stream();
    }

    @ParameterizedTest
    @MethodSource("servers")
    void fiftyStartStopCyclesLeaveNothingBehind(String name) throws Exception {
        try (EchoClient client = new EchoClient(ClientConfig.defaults())) {
            cycle(name, client); // the first cycle loads classes and static pools: measure after it
            Set<Long> threadsBefore = liveThreadIds();
            long fdsBefore = openFileDescriptors();
            long heapBefore = heapAfterGc();

            List<Integer> ports = new ArrayList<>();
            for (int i = 0; i < CYCLES; i++) {
                ports.add(cycle(name, client));
            }

            List<String> leakedThreads = settle(() -> threadsNotIn(threadsBefore));
            assertThat(leakedThreads).as("threads left by %s after %d cycles", name, CYCLES).isEmpty();
            long fdsAfter = settleFds(fdsBefore);
            assertThat(fdsAfter).as("open file descriptors after %d cycles of %s (before: %d)", CYCLES, name, fdsBefore)
                    .isLessThanOrEqualTo(fdsBefore);
            for (int port : ports) {
                assertThat(canBind(port)).as("port %d used by %s is free again", port, name).isTrue();
            }
            long heapAfter = heapAfterGc();
            assertThat(heapAfter).as("heap after GC: before %d B, after %d B", heapBefore, heapAfter)
                    .isLessThanOrEqualTo(heapBefore + HEAP_MARGIN_BYTES);
        }
    }

    /** Start, echo one verified message, close the connection, stop; returns the port that was used. */
    private static int cycle(String name, EchoClient client) {
        EchoServer server = EchoServers.create(name, ServerConfig.defaults());
        try {
            URI uri = server.start();
            EchoConnection connection = client.connect(uri, MessageType.TEXT, 64);
            connection.roundTrip();
            connection.close(Duration.ofSeconds(5));
            return uri.getPort();
        } finally {
            server.close();
        }
    }

    private static Set<Long> liveThreadIds() {
        return Thread.getAllStackTraces().keySet().stream().map(Thread::getId).collect(Collectors.toSet());
    }

    private static List<String> threadsNotIn(Set<Long> before) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> !before.contains(t.getId()))
                .map(t -> t.getName() + " (" + t.getState() + ")")
                .sorted()
                .toList();
    }

    /** Threads end shortly after their pools are told to stop: give them a bounded moment. */
    private static List<String> settle(Supplier<List<String>> leaks) throws InterruptedException {
        long deadline = System.nanoTime() + SETTLE.toNanos();
        List<String> current = leaks.get();
        while (!current.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(50);
            current = leaks.get();
        }
        return current;
    }

    private static long settleFds(long target) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + SETTLE.toNanos();
        long current = openFileDescriptors();
        while (current > target && System.nanoTime() < deadline) {
            Thread.sleep(50);
            current = openFileDescriptors();
        }
        return current;
    }

    private static long openFileDescriptors() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }

    private static long heapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static boolean canBind(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort() == port;
        } catch (IOException e) {
            return false;
        }
    }
}
