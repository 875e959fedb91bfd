package io.wsbench.roundtrip;

import io.wsbench.client.ClientConfig;
import io.wsbench.client.EchoClient;
import io.wsbench.client.EchoConnection;
import io.wsbench.client.MessageType;
import io.wsbench.server.ServerConfig;
import io.wsbench.servers.ServerUnderTest;
import io.wsbench.wire.Transport;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
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
 * Ping-pong over one WebSocket connection per JMH thread: send one message, wait for its echo, verify
 * it byte for byte, repeat. The embedded server starts in each forked JVM before the trial and stops
 * after it; the raw-TCP floor ({@code server=rawtcp}) runs the same client machinery over plain
 * length-prefixed TCP, so {@code server / rawtcp} is the cost of the WebSocket server itself.
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
 * timeout); JMH's {@code -to} interrupts it earlier only with {@code -si false}. docs/faults.md lists every fault.
 *
 * <pre>
 * java -jar target/benchmarks.jar EchoRoundTripBenchmark                                  # all defaults
 * java -jar target/benchmarks.jar EchoRoundTripBenchmark.throughput -p server=netty,rawtcp -p payloadBytes=64 -p type=binary -f 2
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

    /** Embedded server: netty, jetty, tyrus, or rawtcp (the raw-TCP floor); with a target, a label such as netty@HOST. */
    @Param({"netty", "jetty", "tyrus", "rawtcp"})
    public String server;

    /** Message size in bytes: 64, 1024 and 65536 use the three WebSocket payload length encodings. */
    @Param({"64", "1024", "65536"})
    public int payloadBytes;

    /** WebSocket message type: text (UTF-8, validated by the server) or binary. */
    @Param({"text", "binary"})
    public String type;

    /** Server I/O threads (event loops, selectors); the client has its own single event loop. */
    @Param({"1"})
    public int serverThreads;

    /** Port the embedded server binds on 127.0.0.1: 0 for an ephemeral one, or a fixed port (e.g. one a firewall opens). */
    @Param({"0"})
    public int port;

    /** Netty transport for server and client: auto (epoll on Linux), epoll or nio. */
    @Param({"auto"})
    public String transport;

    /** A running server's URI (ws://, wss://, tcp://) to measure instead of an embedded one; empty: start {@code server}. */
    @Param({""})
    public String target;

    /** Accept any certificate from a wss:// target (a self-signed test server); false: the JDK trust store decides. */
    @Param({"false"})
    public boolean trustAllCertificates;

    /** Text the target puts in front of every echo (e.g. "Echo: "); the echo must then be it plus the message sent. */
    @Param({""})
    public String echoPrefix;

    private ServerUnderTest serverUnderTest;
    private EchoClient client;
    private URI uri;
    private MessageType messageType;

    /** Checks every parameter, then starts the server (or takes the target) and the client. */
    @Setup(Level.Trial)
    public void startServer() {
        messageType = MessageType.parse(type);
        Transport chosen = Transport.parse(transport);
        ServerConfig config = ServerConfig.defaults().withServerThreads(serverThreads).withTransport(chosen).withPort(port);
        ClientConfig clientConfig = ClientConfig.defaults()
                .withTimeoutsFrom(System.getProperties())
                .withTransport(chosen)
                .withMaxMessageBytes(config.maxMessageBytes())
                .withTrustAllCertificates(trustAllCertificates)
                .withEchoPrefix(echoPrefix);
        clientConfig.requireMessageFits(payloadBytes);
        ServerUnderTest.requireConsistent(server, target, port, echoPrefix);
        serverUnderTest = ServerUnderTest.start(server, target, config);
        uri = serverUnderTest.uri();
        client = new EchoClient(clientConfig);
    }

    @TearDown(Level.Trial)
    public void stopServer() {
        try {
            if (client != null) {
                client.close();
            }
        } finally {
            if (serverUnderTest != null) {
                serverUnderTest.close();
            }
        }
    }

    /** One connection for each JMH thread, open for the whole trial. */
    @State(Scope.Thread)
    public static class Connection {
        EchoConnection connection;

        @Setup(Level.Trial)
        public void connect(EchoRoundTripBenchmark bench) {
            connection = bench.client.connect(bench.uri, bench.messageType, bench.payloadBytes);
        }

        @TearDown(Level.Trial)
        public void disconnect() {
            if (connection != null) {
                connection.close(Duration.ofSeconds(5));
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
