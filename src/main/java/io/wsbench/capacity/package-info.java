/**
 * The capacity search: the highest open-loop rate a server sustains within a latency bound, found by a ladder
 * of load trials. Imports {@code results}.
 */
package io.wsbench.capacity;
