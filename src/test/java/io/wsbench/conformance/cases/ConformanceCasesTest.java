package io.wsbench.conformance.cases;

import static org.assertj.core.api.Assertions.assertThat;

import io.wsbench.server.ServerConfig;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConformanceCasesTest {

    private static List<ConformanceCase> everyCase() {
        List<ConformanceCase> cases = new ArrayList<>(ConformanceCases.all(ServerConfig.DEFAULT_MAX_MESSAGE_BYTES));
        cases.addAll(ConformanceCases.timed());
        cases.addAll(ConformanceCases.deflate());
        return cases;
    }

    @Test
    void atLeast300CasesInEveryAutobahnSectionTheIssueNames() {
        List<ConformanceCase> cases = everyCase();
        assertThat(cases).hasSizeGreaterThanOrEqualTo(300);
        assertThat(cases.stream().map(ConformanceCase::section).distinct())
                .contains("1", "2", "3", "4", "5", "6", "7", "9", "10", "12", "13");
        assertThat(cases).extracting(ConformanceCase::id).doesNotHaveDuplicates();
        assertThat(cases).allSatisfy(c -> assertThat(c.rfc()).matches(".*(§|RFC 7692).*"));
    }

    @Test
    void section6HasAutobahns145Utf8Cases() {
        assertThat(everyCase().stream().filter(c -> c.section().equals("6"))).hasSize(145);
        assertThat(everyCase()).extracting(ConformanceCase::id).contains("6.4.1", "6.12.8", "6.23.7", "7.13.2", "13.7.18");
    }

    @Test
    void everyUtf8SequenceIsValidExactlyWhenTheJdksStrictDecoderSaysSo() {
        for (Utf8Sequences.Group group : Utf8Sequences.groups()) {
            for (Utf8Sequences.Sequence sequence : group.sequences()) {
                assertThat(Utf8Sequences.isValid(sequence.bytes())).as(group.title() + " " + sequence.hex())
                        .isEqualTo(sequence.valid());
            }
        }
    }

    @Test
    void invalidUtf8CasesExpectTheServerToFailWith1007AndTheFailFastOnesAllowNonStrict() {
        ConformanceCase invalid = byId("6.3.1");
        assertThat(invalid.close().closedByClient()).isFalse();
        assertThat(invalid.close().codes()).containsExactly(ConformanceCases.INVALID_PAYLOAD);
        assertThat(invalid.close().wrongEndpointIsFatal()).isTrue();
        assertThat(byId("6.4.1").expected()).containsOnlyKeys(Behaviour.OK, Behaviour.NON_STRICT);
    }

    @Test
    void deflateCasesOfferAutobahnsParameterSetsAndTimedCasesAreTimed() {
        assertThat(byId("13.5.1").deflateOffer()).contains("server_no_context_takeover", "server_max_window_bits=9");
        assertThat(byId("12.1.1").kind()).isEqualTo(ConformanceCase.Kind.DEFLATE);
        assertThat(byId("9.2.6").kind()).isEqualTo(ConformanceCase.Kind.TIMED);
    }

    private static ConformanceCase byId(String id) {
        return everyCase().stream().filter(c -> c.id().equals(id)).findFirst().orElseThrow();
    }
}
