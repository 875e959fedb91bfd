package io.wsbench.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wsbench.servers.EchoServers;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConformanceMainTest {

    @Test
    void defaultsToEveryRegisteredWebSocketServerAndTheCommittedReportPath() {
        ConformanceMain.Options options = ConformanceMain.Options.parse(new String[0]);
        // Every registered WebSocket server this JVM runs: on Java 17 all but the Java 21 ones.
        assertThat(options.servers()).isEqualTo(EchoServers.webSocketNames().stream()
                .filter(name -> EchoServers.unavailableReason(name).isEmpty()).toList())
                .contains("netty", "jetty", "tyrus", "tomcat");
        if (Runtime.version().feature() >= 21) {
            assertThat(options.servers()).contains("helidon", "jetty-vt", "tomcat-vt");
        } else {
            assertThat(options.servers()).doesNotContain("helidon", "jetty-vt", "tomcat-vt");
        }
        assertThat(options.out()).isEqualTo(Path.of("results", "conformance.md"));
        assertThat(options.notes()).isNull();
        assertThat(options.html()).isEqualTo(Path.of("results", "conformance.html").toAbsolutePath());
        assertThat(options.timeout()).isEqualTo(ConformanceSuite.DEFAULT_RESPONSE_TIMEOUT);
        assertThat(options.budget()).isEqualTo(ConformanceMain.DEFAULT_BUDGET);
        assertThat(options.help()).isFalse();
    }

    @Test
    void parsesEveryOption() {
        ConformanceMain.Options options = ConformanceMain.Options.parse(
                new String[] {"--servers", "jetty, tyrus", "--out", "/tmp/x.md", "--notes", "n.md", "--timeout-ms", "500",
                        "--html", "/tmp/x.html", "--budget-s", "60"});
        assertThat(options.servers()).isEqualTo(List.of("jetty", "tyrus"));
        assertThat(options.out()).isEqualTo(Path.of("/tmp/x.md"));
        assertThat(options.notes()).isEqualTo(Path.of("n.md"));
        assertThat(options.timeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(options.html()).isEqualTo(Path.of("/tmp/x.html"));
        assertThat(options.budget()).isEqualTo(Duration.ofSeconds(60));
        assertThat(ConformanceMain.Options.parse(new String[] {"-h"}).help()).isTrue();
    }

    @Test
    void rejectsBadArgumentsNamingTheProblem() {
        assertThatThrownBy(() -> ConformanceMain.Options.parse(new String[] {"--bogus"}))
                .hasMessage("unknown option '--bogus'");
        assertThatThrownBy(() -> ConformanceMain.Options.parse(new String[] {"--out"}))
                .hasMessage("--out needs a value");
        assertThatThrownBy(() -> ConformanceMain.Options.parse(new String[] {"--timeout-ms", "soon"}))
                .hasMessageContaining("whole number of milliseconds");
        assertThatThrownBy(() -> ConformanceMain.Options.parse(new String[] {"--budget-s", "0"}))
                .hasMessage("--budget-s must be at least 1, got 0");
        assertThatThrownBy(() -> ConformanceMain.Options.parse(new String[] {"--servers", ","}))
                .hasMessageContaining("at least one server");
    }
}
