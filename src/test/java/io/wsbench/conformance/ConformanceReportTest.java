package io.wsbench.conformance;

import io.wsbench.wire.Frame;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConformanceReportTest {

    private static final ConformanceCase CASE = ConformanceCases.all(1000).get(0);

    private static CaseResult result(Outcome outcome, Verdict verdict, StillUp stillUp) {
        return new CaseResult(CASE, outcome, verdict, List.of(), stillUp, Duration.ZERO, null);
    }

    @Test
    void escapesPipesAndNewlinesInCells() {
        assertThat(ConformanceReport.cell("a|b\nc")).isEqualTo("a\\|b c");
    }

    @Test
    void tableHasOneRowPerResultWithDeviationsAndDownServersInBold() {
        List<CaseResult> results = List.of(
                result(new Outcome.Echoed(List.of(Frame.text("x").withMasked(false))), Verdict.conforms(),
                        new StillUp(true, "echoed")),
                result(new Outcome.Closed(1011, "oops | bad", List.of()), Verdict.deviates("code 1011"),
                        new StillUp(false, "fresh connection failed")));

        String table = ConformanceReport.table(results);

        assertThat(table.lines()).hasSize(2 + results.size());
        assertThat(table).contains("| conforms | yes |")
                .contains("CLOSED(1011 \"oops \\| bad\")")
                .contains("| **deviates (code 1011)** | **no**: fresh connection failed |");
    }

    @Test
    void documentHasTheFactsASummaryTheCaseListAndOneSectionPerServer() {
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("Date", "2025-01-01T00:00:00Z");
        facts.put("Command", "`scripts/conformance`");
        List<ConformanceReport.ServerRun> runs = List.of(
                ConformanceReport.ServerRun.completed("jetty", List.of(result(new Outcome.NoResponse(Duration.ofSeconds(2)),
                        Verdict.deviates("no response"), new StillUp(true, "echoed")))),
                ConformanceReport.ServerRun.failed("tyrus", "ServerStartException: port taken"));

        String document = ConformanceReport.document(facts, List.of(CASE), runs);

        assertThat(document).contains("- Date: 2025-01-01T00:00:00Z\n", "- Command: `scripts/conformance`\n",
                "| jetty | 0 | 1 | 0 | 0 | yes |", "| tyrus | run failed: ServerStartException: port taken |",
                "## Cases", "| `" + CASE.id() + "` | positive control |", "## jetty", "## tyrus",
                "Not run: ServerStartException: port taken");
        assertThat(runs.get(0).hasProblem()).isFalse();
        assertThat(runs.get(1).hasProblem()).isTrue();
        assertThat(document).doesNotContain("## Notes");
    }

    @Test
    void notesGoUnderTheirOwnHeadingBetweenTheSummaryAndTheCaseList() {
        List<ConformanceReport.ServerRun> runs = List.of(ConformanceReport.ServerRun.completed("jetty", List.of()));

        String document = ConformanceReport.document(Map.of(), List.of(CASE), runs, "- jetty: nothing to add\n\n");

        assertThat(document).contains("## Notes\n\n- jetty: nothing to add\n\n## Cases");
        assertThat(document.indexOf("## Summary")).isLessThan(document.indexOf("## Notes"));
    }
}
