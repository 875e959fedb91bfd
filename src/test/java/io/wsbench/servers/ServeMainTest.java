package io.wsbench.servers;

import io.wsbench.server.ServerConfig;

import io.wsbench.wire.Transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wsbench.client.ClientConfig;
import io.wsbench.client.EchoClient;
import io.wsbench.client.EchoConnection;
import io.wsbench.client.MessageType;
import io.wsbench.testing.JavaProcess;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
