package io.wsbench.client.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.wsbench.server.ServerConfig;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Runs the whole suite against a plain Jetty echo server to check that the harness itself works. */
class ConformanceSuiteJettyTest {

    private static JettyTestEchoServer server;
    private static URI uri;

    @BeforeAll
    static void startServer() {
        server = new JettyTestEchoServer(ServerConfig.defaults());
        uri = server.start();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @Test
    void everyCaseRunsAndTheServerStaysUp() {
        List<CaseResult> results = ConformanceSuite.run(uri, ServerConfig.DEFAULT_MAX_MESSAGE_BYTES);
        System.out.println(ConformanceReport.table(results));

        assertThat(results).hasSameSizeAs(ConformanceCases.all(ServerConfig.DEFAULT_MAX_MESSAGE_BYTES));
        assertThat(results).filteredOn(CaseResult::isProblem).isEmpty();
    }
}
