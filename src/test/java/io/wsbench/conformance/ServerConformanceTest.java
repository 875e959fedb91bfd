package io.wsbench.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.wsbench.server.EchoServer;
import io.wsbench.servers.EchoServers;
import io.wsbench.server.ServerConfig;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs the conformance suite against each embedded server. Deviations from RFC 6455 are the
 * servers' and are recorded (printed, and written to {@code target/conformance-NAME.md}), not
 * failures; this test fails only if the harness could not run a case or the server stopped serving.
 */
class ServerConformanceTest {

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.wsbench.servers.EchoServers#webSocketNames")
    void everyCaseRunsAndTheServerKeepsServing(String name) throws IOException {
        // A server this JVM cannot run (server=helidon on Java 17) is skipped, saying which JDK it needs.
        EchoServers.unavailableReason(name).ifPresent(reason -> assumeTrue(false, reason));
        ServerConfig config = ServerConfig.defaults();
        List<CaseResult> results;
        try (EchoServer server = EchoServers.create(name, config)) {
            URI uri = server.start();
            results = ConformanceSuite.run(uri, config.maxMessageBytes());
        }

        String table = ConformanceReport.table(results);
        System.out.println("## " + name + "\n\n" + table);
        Files.writeString(Path.of("target", "conformance-" + name + ".md"), table, StandardCharsets.UTF_8);

        assertThat(results).extracting(r -> r.testCase().id())
                .containsExactlyElementsOf(ConformanceCases.all(config.maxMessageBytes()).stream()
                        .map(ConformanceCase::id).toList());
        List<CaseResult> problems = results.stream().filter(CaseResult::isProblem).toList();
        if (!problems.isEmpty()) {
            String summary = problems.stream()
                    .map(r -> r.testCase().id() + ": " + r.verdict().label() + "; still up: " + r.stillUp().detail())
                    .collect(Collectors.joining("\n  ", name + ": the harness failed or the server stopped serving:\n  ", ""));
            Throwable firstHarnessFailure = problems.stream().map(CaseResult::harnessFailure)
                    .filter(t -> t != null).findFirst().orElse(null);
            fail(summary, firstHarnessFailure);
        }
    }
}
