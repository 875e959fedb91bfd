package io.wsbench.conformance;

import io.wsbench.wire.Frame;
import io.wsbench.wire.Opcode;

import static io.wsbench.conformance.Classifier.Ending.ACCEPTING_REPLIES_COMPLETE;
import static io.wsbench.conformance.Classifier.Ending.CLOSE_FRAME;
import static io.wsbench.conformance.Classifier.Ending.EOF;
import static io.wsbench.conformance.Classifier.Ending.MALFORMED_FRAME;
import static io.wsbench.conformance.Classifier.Ending.RESET;
import static io.wsbench.conformance.Classifier.Ending.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ClassifierTest {

    private static final Duration WAITED = Duration.ofSeconds(2);
    private static final Frame HELLO = Frame.text("hello");
    private static final List<Frame> ECHO = List.of(HELLO);
    private static final Expected.FailConnection FAIL_1002 = new Expected.FailConnection(1002);

    /** What arrives from a server: unmasked frames. */
    private static Frame fromServer(Frame frame) {
        return frame.withMasked(false);
    }

    private static Outcome classify(List<Frame> received, Classifier.Ending ending) {
        return Classifier.classify(received, ending, "detail", WAITED, ECHO);
    }

    @Test
    void anEchoOfTheInputIsEchoedEvenWhenReFragmented() {
        List<Frame> refragmented = List.of(
                fromServer(Frame.text("hel").withFin(false)), fromServer(Frame.continuation(bytes("lo"))));
        assertThat(classify(refragmented, ACCEPTING_REPLIES_COMPLETE)).isInstanceOf(Outcome.Echoed.class);
        assertThat(classify(List.of(fromServer(HELLO)), TIMEOUT)).isInstanceOf(Outcome.Echoed.class);
    }

    @Test
    void aCloseFrameGivesItsCodeAndReasonAndKeepsWhatCameBefore() {
        Frame partial = fromServer(Frame.text("hel").withFin(false));
        Outcome outcome = classify(List.of(partial, fromServer(Frame.close(1007, bytes("bad utf-8")))), CLOSE_FRAME);
        assertThat(outcome).isEqualTo(new Outcome.Closed(1007, "bad utf-8", List.of(partial)));
        assertThat(outcome.describe()).isEqualTo("CLOSED(1007 \"bad utf-8\") after text nofin len=3 \"hel\"");
    }

    @Test
    void anEmptyCloseIsClosedNoCodeAndAOneByteCloseIsUnexpected() {
        assertThat(classify(List.of(fromServer(Frame.of(Opcode.CLOSE, new byte[0]))), CLOSE_FRAME))
                .isEqualTo(new Outcome.ClosedNoCode(List.of()));
        assertThat(classify(List.of(fromServer(Frame.of(Opcode.CLOSE, new byte[] {3}))), CLOSE_FRAME))
                .isInstanceOf(Outcome.Unexpected.class);
    }

    @Test
    void endOfStreamAndResetAreTcpClosesWithoutACloseFrame() {
        assertThat(classify(List.of(), EOF).describe()).isEqualTo("TCP_CLOSED_WITHOUT_CLOSE_FRAME (EOF)");
        assertThat(classify(List.of(), RESET).describe()).isEqualTo("TCP_CLOSED_WITHOUT_CLOSE_FRAME (reset: detail)");
    }

    @Test
    void silenceIsNoResponseAndOtherRepliesAreUnexpected() {
        assertThat(classify(List.of(), TIMEOUT)).isEqualTo(new Outcome.NoResponse(WAITED));
        assertThat(classify(List.of(fromServer(Frame.text("other"))), TIMEOUT)).isInstanceOf(Outcome.Unexpected.class);
        assertThat(classify(List.of(fromServer(HELLO), fromServer(HELLO)), TIMEOUT)).isInstanceOf(Outcome.Unexpected.class);
        assertThat(classify(List.of(fromServer(HELLO)), MALFORMED_FRAME)).isInstanceOf(Outcome.Unexpected.class);
    }

    @Test
    void aMaskedFrameFromTheServerIsUnexpectedWhateverElseHappened() {
        Outcome outcome = classify(List.of(Frame.close(1002)), CLOSE_FRAME);
        assertThat(outcome).isInstanceOf(Outcome.Unexpected.class);
        assertThat(outcome.describe()).contains("§5.1");
    }

    @Test
    void repliesMatchIgnoresOrderBetweenControlFramesAndMessages() {
        Frame pong = Frame.pong(bytes("p"));
        assertThat(Classifier.repliesMatch(List.of(pong, HELLO), List.of(fromServer(HELLO), fromServer(pong)))).isTrue();
        assertThat(Classifier.repliesMatch(List.of(pong, HELLO), List.of(fromServer(HELLO)))).isFalse();
        assertThat(Classifier.repliesMatch(ECHO, List.of(fromServer(Frame.binary(bytes("hello")))))).isFalse();
        assertThat(Classifier.repliesMatch(ECHO, List.of(fromServer(Frame.text("hello").withFin(false))))).isFalse();
    }

    @Test
    void mustFailCasesConformByClosingWithTheCodeOrDropping() {
        assertThat(judgeFail(new Outcome.Closed(1002, "", List.of()))).isEqualTo(Verdict.conforms());
        assertThat(judgeFail(new Outcome.TcpClosedWithoutCloseFrame("EOF", List.of())).label())
                .isEqualTo("conforms (dropped)");
        assertThat(judgeFail(new Outcome.ClosedNoCode(List.of())).label()).isEqualTo("conforms (no code)");
    }

    @Test
    void mustFailCasesDeviateByAnotherCodeAcceptingOrIgnoring() {
        assertThat(judgeFail(new Outcome.Closed(1011, "", List.of()))).isEqualTo(Verdict.deviates("code 1011"));
        assertThat(judgeFail(new Outcome.Echoed(ECHO)).label()).isEqualTo("deviates (accepted)");
        assertThat(judgeFail(new Outcome.NoResponse(WAITED)).label()).isEqualTo("deviates (no response)");
        assertThat(judgeFail(new Outcome.Unexpected("x", List.of())).label()).isEqualTo("deviates (unexpected reply)");
        assertThat(judgeFail(new Outcome.Closed(1002, "", List.of(fromServer(HELLO)))).label())
                .isEqualTo("deviates (accepted, then closed)");
    }

    @Test
    void echoingAValidPrefixBeforeFailingStillConforms() {
        Outcome closedAfterPrefix = new Outcome.Closed(1002, "", List.of(fromServer(Frame.text("he").withFin(false))));
        assertThat(judgeFail(closedAfterPrefix)).isEqualTo(Verdict.conforms());
    }

    @Test
    void alternativeCodesAreAcceptedWhereTheCaseAllowsThem() {
        Expected utf8Reason = new Expected.FailConnection(1007, Set.of(1002));
        assertThat(Classifier.judge(utf8Reason, new Outcome.Closed(1002, "", List.of()), List.of()).kind())
                .isEqualTo(Verdict.Kind.CONFORMS);
        assertThat(utf8Reason.describe()).isEqualTo("fail: close 1007/1002 or drop");
    }

    @Test
    void validInputMustBeAnsweredNotClosed() {
        Expected reply = new Expected.Reply();
        assertThat(Classifier.judge(reply, new Outcome.Echoed(ECHO), ECHO)).isEqualTo(Verdict.conforms());
        assertThat(Classifier.judge(reply, new Outcome.Closed(1009, "", List.of()), ECHO).label())
                .isEqualTo("deviates (closed 1009)");
        assertThat(Classifier.judge(reply, new Outcome.TcpClosedWithoutCloseFrame("EOF", List.of()), ECHO).label())
                .isEqualTo("deviates (dropped)");
    }

    @Test
    void aCloseMustBeAnsweredWithACloseFrameWhateverItsCode() {
        Expected closeReply = new Expected.CloseReply(1000);
        assertThat(Classifier.judge(closeReply, new Outcome.Closed(1000, "", List.of()), List.of()))
                .isEqualTo(Verdict.conforms());
        assertThat(Classifier.judge(closeReply, new Outcome.Closed(1002, "", List.of()), List.of()).label())
                .isEqualTo("conforms (code 1002)");
        assertThat(Classifier.judge(closeReply, new Outcome.TcpClosedWithoutCloseFrame("EOF", List.of()), List.of())
                .label()).isEqualTo("deviates (dropped without close frame)");
        Expected emptyCloseReply = new Expected.CloseReply(Expected.CloseReply.NO_CODE);
        assertThat(Classifier.judge(emptyCloseReply, new Outcome.ClosedNoCode(List.of()), List.of()))
                .isEqualTo(Verdict.conforms());
    }

    private static Verdict judgeFail(Outcome outcome) {
        return Classifier.judge(FAIL_1002, outcome, ECHO);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
