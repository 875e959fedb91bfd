/**
 * Ping-pong benchmarks: one message, its verified echo, repeat; every server beside the physical floors.
 */
package io.wsbench.roundtrip;
