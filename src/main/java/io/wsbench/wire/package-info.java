/**
 * Bytes on the wire, written and read by hand: WebSocket frames ({@link io.wsbench.wire.FrameCodec}), a raw
 * WebSocket connection over a plain socket, the sizes every side agrees on (message limit, raw-TCP length
 * prefix) and the Netty transport choice shared by clients and servers. Imports nothing of the project.
 */
package io.wsbench.wire;
