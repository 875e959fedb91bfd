package io.wsbench.conformance.cases;

import java.util.List;

/**
 * How a case's connection should end, as Autobahn's {@code expectedClose} says.
 *
 * @param closedByClient        the client starts the closing handshake (true), or the server must fail the connection
 * @param codes                 the close codes the server may send (the first is the one the client closes with)
 * @param requireClean          a full closing handshake is required, with the server closing TCP
 * @param wrongEndpointIsFatal  the case fails when the wrong side closed (the UTF-8 cases: the server did not notice)
 * @param wrongCodeIsFatal      the case fails when the server's code is not one of {@code codes} (the close cases)
 */
public record ExpectedClose(boolean closedByClient, List<Integer> codes, boolean requireClean,
        boolean wrongEndpointIsFatal, boolean wrongCodeIsFatal) {

    public ExpectedClose {
        codes = List.copyOf(codes);
        if (codes.isEmpty()) {
            throw new IllegalArgumentException("an expected close names at least one code");
        }
    }

    /** Valid input: the client closes with 1000 once it got what it expected, and the close must be clean. */
    static ExpectedClose clientCloses() {
        return new ExpectedClose(true, List.of(ConformanceCases.NORMAL), true, false, false);
    }

    /** Invalid input: the server must fail the connection, with {@code code} if it sends one. */
    static ExpectedClose serverFails(int code) {
        return new ExpectedClose(false, List.of(code), false, false, false);
    }

    ExpectedClose wrongEndpointFatal() {
        return new ExpectedClose(closedByClient, codes, requireClean, true, wrongCodeIsFatal);
    }

    ExpectedClose wrongCodeFatal() {
        return new ExpectedClose(closedByClient, codes, requireClean, wrongEndpointIsFatal, true);
    }

    public String describe() {
        return (closedByClient ? "client closes" : "server fails the connection") + ", code "
                + String.join(" or ", codes.stream().map(String::valueOf).toList())
                + (requireClean ? ", clean" : "");
    }
}
