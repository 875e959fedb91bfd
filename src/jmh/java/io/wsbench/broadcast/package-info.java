/**
 * Broadcast benchmarks: one message fanned out by the server to every member of a room, every delivery verified.
 */
package io.wsbench.broadcast;
