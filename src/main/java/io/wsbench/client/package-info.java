/**
 * The load client: Netty connections that number every message, verify every echo byte for byte and time it
 * ({@link io.wsbench.client.EchoConnection}), many of them under a closed or open loop ({@link
 * io.wsbench.client.EchoLoad}); the members of a broadcast room, every delivery verified ({@link
 * io.wsbench.client.BroadcastRoom}); the bounded, timed opening of many connections ({@link
 * io.wsbench.client.ConnectionOpener}) within what this machine allows ({@link io.wsbench.client.ConnectionLimits}).
 * Imports {@code wire} and {@code record}; never a server.
 */
package io.wsbench.client;
