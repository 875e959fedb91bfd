/**
 * RFC 6455 conformance cases sent as raw frames, the classification of each server's answer, and the
 * conformance table. Imports {@code wire}, {@code server} and {@code servers}.
 */
package io.wsbench.conformance;
