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
        assertThat(options.servers()).isEqualTo(EchoServers.webSocketNames()).contains("netty", "jetty", "tyrus");
        assertThat(options.out()).isEqualTo(Path.of("results", "conformance.md"));
        assertThat(options.notes()).isNull();
        assertThat(options.timeout()).isEqualTo(ConformanceSuite.DEFAULT_RESPONSE_TIMEOUT);
        assertThat(options.help()).isFalse();
    }

    @Test
    void parsesEveryOption() {
        ConformanceMain.Options options = ConformanceMain.Options.parse(
                new String[] {"--servers", "jetty, tyrus", "--out", "/tmp/x.md", "--notes", "n.md", "--timeout-ms", "500"});
        assertThat(options.servers()).isEqualTo(List.of("jetty", "tyrus"));
        assertThat(options.out()).isEqualTo(Path.of("/tmp/x.md"));
        assertThat(options.notes()).isEqualTo(Path.of("n.md"));
        assertThat(options.timeout()).isEqualTo(Duration.ofMillis(500));
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
        assertThatThrownBy(() -> ConformanceMain.Options.parse(new String[] {"--servers", ","}))
                .hasMessageContaining("at least one server");
    }
}
