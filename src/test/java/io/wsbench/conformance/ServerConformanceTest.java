package io.wsbench.conformance;

import io.wsbench.conformance.cases.Behaviour;
import io.wsbench.conformance.cases.ConformanceCase;
import io.wsbench.conformance.cases.ConformanceCases;
import static org.assertj.core.api.Assertions.assertThat;

import io.wsbench.server.EchoServer;
import io.wsbench.server.ServerConfig;
import io.wsbench.servers.EchoServers;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The cases against one real server (Jetty, which meets Autobahn's expectations in sections 1–7 but for 6.4), run
 * twice: the harness must get through every case with the server still serving, and give the same verdicts both
 * times. Every server is scripts/conformance's job.
 */
class ServerConformanceTest {

    @Test
    void everyCaseRunsTwiceWithTheSameVerdictsAndTheServerKeepsServing() {
        ServerConfig config = ServerConfig.defaults();
        List<ConformanceCase> cases = ConformanceCases.all(config.maxMessageBytes());
        try (EchoServer server = EchoServers.create("jetty", config)) {
            URI uri = server.start();
            ConformanceSuite suite = new ConformanceSuite(uri, ConformanceSuite.DEFAULT_RESPONSE_TIMEOUT,
                    config.maxMessageBytes());
            long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
            List<CaseResult> first = suite.run(cases, deadline);
            List<CaseResult> second = suite.run(cases, deadline);

            assertThat(first).noneMatch(CaseResult::isProblem);
            assertThat(second.stream().map(ServerConformanceTest::verdict).toList())
                    .isEqualTo(first.stream().map(ServerConformanceTest::verdict).toList());
            assertThat(first.stream().filter(r -> r.testCase().id().equals("1.1.1")).findFirst().orElseThrow()
                    .verdict().behaviour()).isEqualTo(Behaviour.OK);
        }
    }

    private static String verdict(CaseResult result) {
        return result.testCase().id() + " " + result.verdict().behaviour() + " " + result.verdict().close()
                + " " + result.close().serverCode();
    }
}
