package io.wsbench.conformance;

import io.wsbench.wire.Frame;

import java.util.List;
import java.util.Objects;

/**
 * One conformance probe: frames to send on a fresh connection and what RFC 6455 says must follow.
 *
 * @param id               short stable name, e.g. {@code rsv1-text}
 * @param category         the Autobahn-style group it belongs to, e.g. {@code reserved bits}
 * @param description      what is sent, in words
 * @param rfc              the RFC 6455 section(s) and how strong the requirement is (MUST, SHOULD, unspecified)
 * @param expected         what a conforming server does
 * @param send             the frames, written in order on one connection
 * @param acceptingReplies what a server that (rightly or wrongly) took the input as valid would send
 *                         back, used to recognise an echo; empty when there is no meaningful echo
 */
public record ConformanceCase(String id, String category, String description, String rfc, Expected expected,
        List<Frame> send, List<Frame> acceptingReplies) {

    public ConformanceCase {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(category, "category");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(rfc, "rfc");
        Objects.requireNonNull(expected, "expected");
        send = List.copyOf(send);
        acceptingReplies = List.copyOf(acceptingReplies);
        if (send.isEmpty()) {
            throw new IllegalArgumentException("case " + id + " sends nothing");
        }
        if (expected instanceof Expected.Reply && acceptingReplies.isEmpty()) {
            throw new IllegalArgumentException("case " + id + " expects a reply but lists none");
        }
    }
}
