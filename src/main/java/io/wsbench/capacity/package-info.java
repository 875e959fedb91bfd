/**
 * The capacity search: the highest open-loop rate a server sustains within a latency bound, found by a ladder
 * of load trials. Imports {@code results} and the open loop's validity rule from {@code record}.
 */
package io.wsbench.capacity;
