package io.wsbench.harness;

import io.wsbench.server.ServerConfig;
import io.wsbench.server.ServerSettings;
import io.wsbench.server.ServerTls;
import io.wsbench.servers.EchoServers;

import io.wsbench.wire.Transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wsbench.client.ClientConfig;
import io.wsbench.client.EchoClient;
import io.wsbench.client.EchoConnection;
import io.wsbench.client.MessageType;
import io.wsbench.testing.JavaProcess;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** ServeMain serves what the benchmarks measure, prints where, and stops cleanly on a signal. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ServeMainTest {

    @Test
    void optionsOverrideOnlyHostPortThreadsAndTransport() {
        ServeMain.Options o = ServeMain.parse(new String[] {"rawtcp", "--host", "0.0.0.0", "--port", "9001", "--server-threads", "2",
            "--transport", "nio", "--for", "5"});
        assertThat(o.name()).isEqualTo("rawtcp");
        assertThat(o.config()).isEqualTo(ServerConfig.defaults().withHost("0.0.0.0").withPort(9001).withServerThreads(2)
                .withTransport(Transport.NIO));
        assertThat(o.lifetime()).isEqualTo(Duration.ofSeconds(5));
        assertThat(o.tls()).isFalse();
        assertThat(o.control()).isFalse();
    }

    @Test
    void compressionTlsProviderAndControlOptions() {
        ServeMain.Options o = ServeMain.parse(new String[] {"--tls-provider", "openssl", "netty", "--compression", "--tls",
            "--control"});
        assertThat(o.config()).isEqualTo(ServerConfig.defaults().withCompression(true).withTls(ServerTls.OPENSSL));
        assertThat(o.tls()).isTrue();
        assertThat(o.control()).isTrue();
        assertThat(ServeMain.parse(new String[] {"netty", "--tls"}).config().tls()).isEqualTo(ServerTls.JDK);
    }

    @Test
    void badArgumentsSayWhatIsWrong() {
        assertThatThrownBy(() -> ServeMain.parse(new String[] {"netty", "--port"})).hasMessage("--port needs a value");
        assertThatThrownBy(() -> ServeMain.parse(new String[] {"netty", "--port", "x"})).hasMessageContaining("whole number");
        assertThatThrownBy(() -> ServeMain.parse(new String[] {"netty", "--bogus"})).hasMessageContaining("'--bogus'");
        assertThatThrownBy(() -> ServeMain.parse(new String[] {"--tls"})).hasMessageContaining("give its name");
        assertThatThrownBy(() -> ServeMain.create(ServeMain.parse(new String[] {"nosuch"})))
                .hasMessageContaining("unknown server 'nosuch'");
        assertThatThrownBy(() -> ServeMain.create(ServeMain.parse(new String[] {"rawtcp", "--tls"})))
                .hasMessageContaining("rawtcp serves ws:// only");
        assertThat(ServeMain.parse(new String[] {"-h"})).isNull();
        assertThatThrownBy(() -> ServeMain.parse(new String[] {"netty", "--tls-provider", "openssl"}))
                .hasMessageContaining("add --tls");
        assertThatThrownBy(() -> ServeMain.parse(new String[] {"netty", "--tls", "--tls-provider", "gnutls"}))
                .hasMessageContaining("unknown tlsProvider 'gnutls'");
        assertThatThrownBy(() -> ServeMain.parse(new String[] {"netty", "--control", "--for", "5"}))
                .hasMessageContaining("give one of them");
    }

    @Test
    void settingsLineKeepsValuesWithSpacesAndEqualsAndWhatWasConfigured() {
        ServerSettings settings = ServerSettings.of("jetty").put(ServerSettings.IO_THREADS, 1)
                .putConfigured(ServerSettings.COMPRESSION, false)
                .put(ServerSettings.TRANSPORT, "Java NIO (ServerConnector)").put("virtualThreads", "none, pool max=2")
                .put("odd", "a\tb").build();
        ServerSettings back = ServeMain.parseSettingsLine(ServeMain.settingsLine(settings));
        assertThat(back.server()).isEqualTo("jetty");
        assertThat(back.values()).containsExactly(Map.entry(ServerSettings.IO_THREADS, "1"),
                Map.entry(ServerSettings.COMPRESSION, "false" + ServerSettings.CONFIGURED_MARK),
                Map.entry(ServerSettings.TRANSPORT, "Java NIO (ServerConnector)"),
                Map.entry("virtualThreads", "none, pool max=2"), Map.entry("odd", "a b"));
        assertThat(back.get(ServerSettings.COMPRESSION)).isEqualTo("false");
        assertThat(back.isConfigured(ServerSettings.COMPRESSION)).isTrue();
        assertThat(back.isConfigured(ServerSettings.IO_THREADS)).isFalse();
    }

    @Test
    void unknownCommandsAreAnsweredWithTheValidOnes() {
        assertThat(ServeMain.answer(EchoServers.create("rawtcp", ServerConfig.defaults()), "gc"))
                .isEqualTo("error unknown command 'gc': use heap or settings");
        assertThat(ServeMain.answer(EchoServers.create("rawtcp", ServerConfig.defaults()), "settings"))
                .startsWith("error settings failed: ").contains("call start() first");
    }

    @Test
    void underControlAnswersCommandsAndStopsWhenStdinEnds(@TempDir Path dir) throws Exception {
        Path stderr = dir.resolve("stderr.txt");
        Process serve = new ProcessBuilder(JavaProcess.command(ServeMain.class.getName(), "netty", "--compression", "--control"))
                .redirectError(stderr.toFile())
                .start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(serve.getInputStream(), StandardCharsets.UTF_8));
            Writer in = new OutputStreamWriter(serve.getOutputStream(), StandardCharsets.UTF_8);
            URI uri = URI.create(line(out));
            try (EchoClient client = new EchoClient(ClientConfig.defaults().withCompression(true))) {
                EchoConnection c = client.connect(uri, MessageType.TEXT, 64);
                c.roundTrip();
                c.close(Duration.ofSeconds(2));
            }
            in.write("settings\n\nheap\nbogus\n");
            in.flush();
            ServerSettings settings = ServeMain.parseSettingsLine(after("settings ", line(out)));
            assertThat(settings.server()).isEqualTo("netty");
            assertThat(settings.get(ServerSettings.COMPRESSION)).isEqualTo("true");
            assertThat(Long.parseLong(after("heap ", line(out)))).isPositive();
            assertThat(line(out)).startsWith("error unknown command 'bogus'");
            in.close();
            assertThat(serve.waitFor(20, TimeUnit.SECONDS)).isTrue();
        } finally {
            JavaProcess.stop(serve);
        }
        assertThat(serve.exitValue()).isZero();
        assertThat(Files.readString(stderr)).contains("stopping netty at ws://");
    }

    /** The next line of {@code out}, waiting at most 20 s. */
    private static String line(BufferedReader out) throws Exception {
        String line = CompletableFuture.supplyAsync(() -> {
            try {
                return out.readLine();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }).get(20, TimeUnit.SECONDS);
        assertThat(line).as("a line on stdout").isNotNull();
        return line;
    }

    private static String after(String prefix, String line) {
        assertThat(line).startsWith(prefix);
        return line.substring(prefix.length());
    }

    @Test
    void servesUntilSignalledThenStops(@TempDir Path dir) throws Exception {
        Path stderr = dir.resolve("stderr.txt");
        Process serve = new ProcessBuilder(JavaProcess.command(ServeMain.class.getName(), "netty", "--tls", "--for", "60"))
                .redirectError(stderr.toFile())
                .start();
        try (EchoClient client = new EchoClient(ClientConfig.defaults().withTrustAllCertificates(true))) {
            URI uri = URI.create(JavaProcess.firstLine(serve, 20));
            assertThat(uri.getScheme()).isEqualTo("wss");
            EchoConnection c = client.connect(uri, MessageType.TEXT, 256);
            for (int i = 0; i < 10; i++) {
                c.roundTrip();
            }
            assertThat(c.echoed()).isEqualTo(10);
            c.close(Duration.ofSeconds(2));
        } finally {
            JavaProcess.stop(serve);
        }
        assertThat(serve.exitValue()).isNotZero(); // ended by the signal, not by --for
        assertThat(Files.readString(stderr)).contains("stopping netty at wss://");
    }

    @Test
    void stopsByItselfAfterItsLifetime(@TempDir Path dir) throws Exception {
        Path stderr = dir.resolve("stderr.txt");
        Process serve = new ProcessBuilder(JavaProcess.command(ServeMain.class.getName(), "rawtcp", "--for", "1"))
                .redirectError(stderr.toFile())
                .start();
        try {
            assertThat(URI.create(JavaProcess.firstLine(serve, 20)).getScheme()).isEqualTo("tcp");
            assertThat(serve.waitFor(20, TimeUnit.SECONDS)).isTrue();
        } finally {
            JavaProcess.stop(serve);
        }
        assertThat(serve.exitValue()).isZero();
        assertThat(Files.readString(stderr)).contains("stopping rawtcp at tcp://");
    }
}
