package io.wsbench.servers;

import io.wsbench.server.EchoServer;

/**
 * A physical floor: a plain TCP echo, no WebSocket, so no broadcast room and no TLS; the scenarios that need them
 * refuse a floor before it starts.
 */
interface FloorServer extends EchoServer {
    @Override
    default boolean broadcasts() {
        return false;
    }

    @Override
    default boolean servesTls() {
        return false;
    }
}
