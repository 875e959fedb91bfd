/**
 * How a client connection's messages travel inside WebSocket messages ({@link
 * io.wsbench.client.framing.MessageFraming}): plain, one message each ({@link
 * io.wsbench.client.framing.PlainFraming}), or as Socket.IO events over Engine.IO v4 ({@link
 * io.wsbench.client.framing.SocketIoFraming}), with exact JSON string escaping both ways. Chosen by the client's
 * {@code protocol}; the connection verifies the echoes the framing hands it. Imports {@code wire}; never the rest
 * of {@code client}.
 */
package io.wsbench.client.framing;
