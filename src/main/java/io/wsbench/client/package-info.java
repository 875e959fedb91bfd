/**
 * The load client: Netty connections that number every message, verify every echo byte for byte and time it
 * ({@link io.wsbench.client.EchoConnection}), many of them under a closed or open loop ({@link
 * io.wsbench.client.EchoLoad}). Imports {@code wire} and {@code record}; never a server.
 */
package io.wsbench.client;
