package io.wsbench.roundtrip;

import io.wsbench.client.BlockingEchoConnection;
import io.wsbench.client.MessageType;
import io.wsbench.jmh.MeasuredServer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Timeout;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Ping-pong over one connection per JMH thread: the JMH thread writes one message, reads its echo, verifies it byte for
 * byte, repeat, with no other thread in between ({@link BlockingEchoConnection}: a blocking socket and frames built
 * once). So a one-connection round trip is the server's and the kernel's, not a client event loop's. The embedded
 * server starts in each forked JVM before the trial and stops after it ({@link MeasuredServer}). Two floors run the
 * same client over plain length-prefixed TCP: {@code server=socket}, a blocking {@code ServerSocket} thread (the
 * physical floor), and {@code server=rawtcp}, the same bytes echoed through Netty's event loop; {@code server / socket}
 * is what the server (and its WebSocket framing) adds.
 *
 * <p>Where the two threads run decides a loopback round trip more than the server does (on a VM one cross-core
 * wake-up costs more than an echo's CPU work), so both are pinned: {@code -p placement=shared} (default: client and
 * server on one CPU, the JVM's other threads on the rest), {@code split} (on two CPUs) or {@code none}; the floors run
 * under the same placement, and a ratio is taken within one (docs/method.md, "Placement").
 *
 * <p>{@link #throughput} reports round trips per second, {@link #latency} the distribution of round-trip
 * times (JMH's sample mode: p50, p90, p99, p99.9 …). A wrong, reordered or missing echo throws from
 * the benchmark method and fails the trial; it is never counted as a fast operation.
 *
 * <p>{@code -p target=ws://HOST:PORT/PATH} (or {@code wss://}, or {@code tcp://} for a raw-TCP echo)
 * measures a server that is already running, here or on another host, instead of starting one; then
 * {@code server} only labels it: one value, not an embedded server's name, by convention NAME@HOST
 * (e.g. {@code -p server=netty@10.0.0.2} for {@code scripts/serve netty} there), and {@code
 * serverThreads} is the remote server's business. Echoes are still verified byte for
 * byte: {@code -p echoPrefix=...} for a server that puts fixed text in front of every echo, {@code
 * -p trustAllCertificates=true} for a {@code wss://} server with a self-signed certificate.
 *
 * <p>Every parameter is checked before any server starts, so a wrong value fails its trial at once with a
 * message naming the valid values; without {@code -foe true} JMH then goes on with the other trials. A
 * server that stops answering fails the trial after the echo timeout (5 s; {@code -jvmArgsAppend
 * -Dwsbench.echoTimeoutMillis=N} changes it, {@code wsbench.connectTimeoutMillis} likewise the connect
 * timeout); JMH's {@code -to} interrupts the wait earlier with {@code -si false}. docs/faults.md lists every fault.
 *
 * <pre>
 * java -jar target/benchmarks.jar EchoRoundTripBenchmark                                  # all defaults
 * java -jar target/benchmarks.jar EchoRoundTripBenchmark.throughput -p server=netty,socket -p payloadBytes=64 -p type=binary -f 2
 * java -jar target/benchmarks.jar EchoRoundTripBenchmark.throughput -p server=netty,socket -p placement=shared,split
 * java -jar target/benchmarks.jar EchoRoundTripBenchmark.latency -p server=jetty -prof gc
 * java -jar target/benchmarks.jar EchoRoundTripBenchmark.latency -p server=netty@10.0.0.2 -p target=ws://10.0.0.2:8080/echo
 * java -jar target/benchmarks.jar EchoRoundTripBenchmark.throughput -p server=jetty -p port=8080     # a fixed port
 * </pre>
 */
@State(Scope.Benchmark)
@Fork(value = 2, jvmArgsPrepend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Timeout(time = 60)
public class EchoRoundTripBenchmark {

    /** Message size in bytes: 64, 1024 and 65536 use the three WebSocket payload length encodings. */
    @Param({"64", "1024", "65536"})
    public int payloadBytes;

    /** WebSocket message type: text (UTF-8, validated by the server) or binary. */
    @Param({"text", "binary"})
    public String type;

    private MessageType messageType;

    /** Checks this benchmark's own parameters; {@link MeasuredServer} has checked and started the rest. */
    @Setup(Level.Trial)
    public void checkParameters() {
        messageType = MessageType.parse(type);
    }

    /** One connection for each JMH thread, open for the whole trial. */
    @State(Scope.Thread)
    public static class Connection {
        private static final AtomicLong SEEDS = new AtomicLong();
        BlockingEchoConnection connection;

        @Setup(Level.Trial)
        public void connect(EchoRoundTripBenchmark bench, MeasuredServer measured) {
            connection = BlockingEchoConnection.open(measured.uri(), bench.messageType, bench.payloadBytes,
                    SEEDS.incrementAndGet(), measured.clientConfig());
        }

        @TearDown(Level.Trial)
        public void disconnect() {
            if (connection != null) {
                connection.close();
            }
        }
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public long throughput(Connection c) {
        return c.connection.roundTrip();
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public long latency(Connection c) {
        return c.connection.roundTrip();
    }
}
