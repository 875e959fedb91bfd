package io.wsbench.conformance;

import io.wsbench.conformance.cases.Behaviour;
import io.wsbench.conformance.cases.CloseBehaviour;
import io.wsbench.conformance.cases.CloseRecord;
import io.wsbench.conformance.cases.ConformanceCase;
import io.wsbench.conformance.cases.ConformanceCases;
import io.wsbench.conformance.cases.Verdict;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConformanceReportTest {

    private static final List<ConformanceCase> CASES = ConformanceCases.all(1000);

    private static CaseResult result(ConformanceCase testCase, Behaviour behaviour, CloseBehaviour close) {
        return new CaseResult(testCase, new Verdict(behaviour, close, "why"), new CloseRecord(true, false, true, 1000, ""),
                List.of(), new CaseResult.Transcript(List.of("text fin masked len=1 \"</script>\""), 1, List.of(), 0), "",
                null, List.of(), new StillUp(true, "echoed"), Duration.ZERO, null, null);
    }

    private static List<ConformanceReport.ServerRun> runs() {
        return List.of(
                ConformanceReport.ServerRun.completed("good", List.of(result(CASES.get(0), Behaviour.OK, CloseBehaviour.OK))),
                ConformanceReport.ServerRun.completed("lax", List.of(
                        result(CASES.get(0), Behaviour.OK, CloseBehaviour.OK),
                        result(byId("6.3.1"), Behaviour.FAILED, CloseBehaviour.FAILED))),
                ConformanceReport.ServerRun.failed("broken", "did not start"));
    }

    private static ConformanceCase byId(String id) {
        return CASES.stream().filter(c -> c.id().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void escapesPipesAndNewlinesInCells() {
        assertThat(ConformanceReport.cell("a|b\nc")).isEqualTo("a\\|b c");
    }

    @Test
    void deviationsComeBeforeTheSectionTableAndNameEachDeviatingCase() {
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("Date", "today");
        String md = ConformanceReport.document(facts, runs(), "");

        assertThat(md.indexOf("## Deviations")).isLessThan(md.indexOf("## Verdicts per section"));
        assertThat(md).contains("| good | 1 | 1 | 0 | 0 |")
                .contains("| 6.3.1 | ")
                .contains("| broken | run failed: did not start |")
                .contains("| 6 UTF-8 | 0/0 | **0/1** |");
        assertThat(ConformanceReport.deviationsBySection(runs().get(1))).containsExactly(Map.entry("6", "1 of 1 cases"));
        assertThat(ConformanceReport.deviationsBySection(runs().get(0))).isEmpty();
    }

    @Test
    void thePageCarriesItsDataInlineAndCannotBeCutShortByAPayload() {
        String html = ConformanceHtml.page(Map.of("Date", "today"), runs());

        assertThat(html).doesNotContain("src=\"http", "href=\"http", "<link").contains("\"name\":\"lax\"")
                .contains("<\\/script>").contains("id=\"" + ConformanceHtml.STATUS_ID + "\"");
        assertThat(html.split("</script>", -1)).hasSize(3);
    }
}
