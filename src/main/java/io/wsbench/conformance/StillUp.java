package io.wsbench.conformance;

/**
 * Whether the server still served a fresh connection after a case: a text message echoed.
 *
 * @param up     the probe message came back
 * @param detail what happened, in words (why not, when it did not)
 */
public record StillUp(boolean up, String detail) {
}
