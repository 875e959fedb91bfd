package io.wsbench.conformance.cases;

/**
 * How a case's connection ended, in Autobahn's terms.
 *
 * @param closedByClient  the client sent the first close frame
 * @param droppedByClient the client closed TCP (it had waited long enough, or the server broke the protocol)
 * @param clean           close frames went both ways and the server closed TCP
 * @param serverCode      the code of the server's close frame, {@link #NO_CODE} without one (or without a body)
 * @param serverReason    the reason of the server's close frame, "" without one
 */
public record CloseRecord(boolean closedByClient, boolean droppedByClient, boolean clean, int serverCode,
        String serverReason) {

    public static final int NO_CODE = -1;

    /** Who closed, the code and whether it was clean, e.g. "server, 1002, unclean". */
    public String describe() {
        String who = closedByClient ? "client" : droppedByClient ? "dropped by client" : "server";
        return who + ", " + (serverCode == NO_CODE ? "no code" : String.valueOf(serverCode))
                + (clean ? ", clean" : ", unclean");
    }
}
