package io.wsbench.conformance.cases;

import static org.assertj.core.api.Assertions.assertThat;

import io.wsbench.server.ServerConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Autobahn's verdict rules, on hand-made outcomes. */
class JudgeTest {

    private static final CloseRecord SERVER_FAILED_1002 = new CloseRecord(false, false, true, 1002, "");
    private static final CloseRecord CLIENT_CLOSED_CLEANLY = new CloseRecord(true, false, true, 1000, "");
    private static final CloseRecord CLIENT_DROPPED = new CloseRecord(false, true, false, CloseRecord.NO_CODE, "");

    private static ConformanceCase byId(String id) {
        List<ConformanceCase> cases = new java.util.ArrayList<>(ConformanceCases.all(ServerConfig.DEFAULT_MAX_MESSAGE_BYTES));
        cases.addAll(ConformanceCases.deflate());
        return cases.stream().filter(c -> c.id().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void anEchoFollowedByTheClientsCleanCloseIsOk() {
        ConformanceCase echo = byId("1.1.2");
        Verdict verdict = Judge.judge(echo, echo.expected().get(Behaviour.OK), CLIENT_CLOSED_CLEANLY, false, null);
        assertThat(verdict.behaviour()).isEqualTo(Behaviour.OK);
        assertThat(verdict.close()).isEqualTo(CloseBehaviour.OK);
        assertThat(verdict.isDeviation()).isFalse();
    }

    @Test
    void aServerThatFailsAfterTheRestArrivedIsNonStrict() {
        ConformanceCase failFast = byId("6.4.1");
        Verdict verdict = Judge.judge(failFast, failFast.expected().get(Behaviour.NON_STRICT),
                new CloseRecord(false, false, true, 1007, ""), false, null);
        assertThat(verdict.behaviour()).isEqualTo(Behaviour.NON_STRICT);
        assertThat(verdict.isDeviation()).isTrue();
    }

    @Test
    void echoingInvalidUtf8AndLeavingTheClientToCloseFails() {
        ConformanceCase invalid = byId("6.3.1");
        Verdict verdict = Judge.judge(invalid, List.of(new Event.Message(false, new byte[] {(byte) 0xC0})),
                CLIENT_CLOSED_CLEANLY, false, null);
        assertThat(verdict.behaviour()).isEqualTo(Behaviour.FAILED);
        assertThat(verdict.close()).isEqualTo(CloseBehaviour.FAILED);
    }

    @Test
    void closeRulesApplyInAutobahnsOrder() {
        ExpectedClose failure = ExpectedClose.serverFails(1002);
        assertThat(Judge.closeBehaviour(failure, SERVER_FAILED_1002)).isEqualTo(CloseBehaviour.OK);
        assertThat(Judge.closeBehaviour(failure, new CloseRecord(false, false, true, 1011, "")))
                .isEqualTo(CloseBehaviour.WRONG_CODE);
        assertThat(Judge.closeBehaviour(failure, CLIENT_DROPPED)).isEqualTo(CloseBehaviour.FAILED_BY_CLIENT);
        assertThat(Judge.closeBehaviour(ExpectedClose.clientCloses(), new CloseRecord(true, true, false, 1000, "")))
                .isEqualTo(CloseBehaviour.UNCLEAN);
        assertThat(Judge.closeBehaviour(ExpectedClose.clientCloses(), SERVER_FAILED_1002))
                .isEqualTo(CloseBehaviour.FAILED);
    }

    @Test
    void aWrongCodeFailsACloseCaseAndOpenCodesAreInformational() {
        ConformanceCase badCode = byId("7.9.2");
        Verdict wrong = Judge.judge(badCode, List.of(), CLIENT_CLOSED_CLEANLY, false, null);
        assertThat(wrong.behaviour()).isEqualTo(Behaviour.FAILED);
        assertThat(wrong.close()).isEqualTo(CloseBehaviour.WRONG_CODE);
        Verdict open = Judge.judge(byId("7.13.1"), List.of(), CLIENT_CLOSED_CLEANLY, false, null);
        assertThat(open.behaviour()).isEqualTo(Behaviour.INFORMATIONAL);
        assertThat(open.isDeviation()).isFalse();
    }

    @Test
    void aDeclinedOfferIsUnimplementedAndAnAnswerOutsideTheOfferFails() {
        ConformanceCase deflate = byId("13.3.1");
        assertThat(Judge.judge(deflate, List.of(), CLIENT_CLOSED_CLEANLY, true, null).behaviour())
                .isEqualTo(Behaviour.UNIMPLEMENTED);
        String violation = DeflateOffers.violation(deflate.deflateOffer(),
                io.wsbench.wire.PerMessageDeflate.parse("permessage-deflate"));
        assertThat(violation).contains("server_max_window_bits");
        assertThat(Judge.judge(deflate, List.of(), CLIENT_CLOSED_CLEANLY, false, violation).behaviour())
                .isEqualTo(Behaviour.FAILED);
        assertThat(DeflateOffers.violation(deflate.deflateOffer(),
                io.wsbench.wire.PerMessageDeflate.parse("permessage-deflate; server_max_window_bits=9"))).isNull();
    }
}
