package io.wsbench.conformance.cases;

import java.util.List;
import java.util.Map;

/**
 * Autobahn's verdict rules as pure functions, so that they can be tested without a server: the events that came
 * back against each expectation, and the close against the expected close.
 */
public final class Judge {

    private Judge() {
    }

    /**
     * The verdict on one case.
     *
     * @param received       the events, in order
     * @param close          how the connection ended
     * @param declined       a deflate case's server accepted no extension
     * @param offerViolation why the server's extension answer breaks RFC 7692, or null
     */
    public static Verdict judge(ConformanceCase testCase, List<Event> received, CloseRecord close, boolean declined,
            String offerViolation) {
        ExpectedClose expectedClose = declined ? ExpectedClose.clientCloses() : testCase.close();
        CloseBehaviour closeBehaviour = closeBehaviour(expectedClose, close);
        if (declined) {
            return new Verdict(Behaviour.UNIMPLEMENTED, closeBehaviour, "the server accepted no permessage-deflate");
        }
        if (offerViolation != null) {
            return new Verdict(Behaviour.FAILED, closeBehaviour, offerViolation);
        }
        Behaviour behaviour = Behaviour.FAILED;
        String result = "the events differ from every expectation";
        for (Map.Entry<Behaviour, List<Event>> expectation : testCase.expected().entrySet()) {
            if (expectation.getValue().equals(received)) {
                behaviour = expectation.getKey();
                result = "the events match the " + behaviour.label() + " expectation";
                break;
            }
        }
        if (expectedClose.wrongEndpointIsFatal() && expectedClose.closedByClient() != close.closedByClient()) {
            behaviour = Behaviour.FAILED;
            result = "the wrong side closed: the server did not detect the error";
        }
        if (expectedClose.wrongCodeIsFatal() && closeBehaviour == CloseBehaviour.WRONG_CODE) {
            behaviour = Behaviour.FAILED;
            result = "the server closed with " + close.serverCode() + ", not " + codes(expectedClose);
        }
        if (testCase.kind() == ConformanceCase.Kind.INFORMATIONAL) {
            return new Verdict(Behaviour.INFORMATIONAL, CloseBehaviour.INFORMATIONAL, "not judged (" + result + ")");
        }
        return new Verdict(behaviour, closeBehaviour, result);
    }

    /** Autobahn's close rules, in its order. */
    static CloseBehaviour closeBehaviour(ExpectedClose expected, CloseRecord close) {
        if (expected.closedByClient() != close.closedByClient()) {
            return CloseBehaviour.FAILED;
        }
        if (expected.requireClean() && !close.clean()) {
            return CloseBehaviour.UNCLEAN;
        }
        if (close.serverCode() != CloseRecord.NO_CODE && !expected.codes().contains(close.serverCode())) {
            return CloseBehaviour.WRONG_CODE;
        }
        if (close.droppedByClient()) {
            return CloseBehaviour.FAILED_BY_CLIENT;
        }
        return CloseBehaviour.OK;
    }

    private static String codes(ExpectedClose expected) {
        return String.join(" or ", expected.codes().stream().map(String::valueOf).toList());
    }

    /** Whether {@code received} equals one expectation of the case. */
    public static boolean matchesAny(ConformanceCase testCase, List<Event> received) {
        return testCase.expected().values().stream().anyMatch(received::equals);
    }

    /** Whether more events could still make {@code received} match an expectation. */
    public static boolean couldStillMatch(ConformanceCase testCase, List<Event> received) {
        return testCase.expected().values().stream().anyMatch(events -> events.size() >= received.size()
                && events.subList(0, received.size()).equals(received));
    }
}
