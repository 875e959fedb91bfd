package io.wsbench.client.conformance;

import io.wsbench.server.EchoServer;
import io.wsbench.server.ServerConfig;
import io.wsbench.server.ServerStartException;
import java.net.URI;
import java.nio.ByteBuffer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;

/**
 * A minimal Jetty 12 echo server for testing the conformance harness itself, independent of the
 * project's server implementations: a known, well-behaved peer to run the suite against.
 */
final class JettyTestEchoServer implements EchoServer {

    private final ServerConfig config;
    private Server server;

    JettyTestEchoServer(ServerConfig config) {
        this.config = config;
    }

    @Override
    public String name() {
        return "jetty-test";
    }

    @Override
    public URI start() {
        server = new Server();
        ServerConnector connector = new ServerConnector(server, 1, 1);
        connector.setHost(config.host());
        connector.setPort(config.port());
        server.addConnector(connector);
        ContextHandler context = new ContextHandler("/");
        context.setHandler(WebSocketUpgradeHandler.from(server, context, container -> {
            container.setMaxTextMessageSize(config.maxMessageBytes());
            container.setMaxBinaryMessageSize(config.maxMessageBytes());
            container.addMapping(config.path(), (request, response, callback) -> new Echo());
        }));
        server.setHandler(context);
        try {
            server.start();
        } catch (Exception e) {
            close();
            throw new ServerStartException("test Jetty server failed to start on " + config.host() + ": " + e, e);
        }
        return URI.create("ws://" + config.host() + ":" + connector.getLocalPort() + config.path());
    }

    @Override
    public void close() {
        if (server == null) {
            return;
        }
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("test Jetty server failed to stop: " + e, e);
        } finally {
            server = null;
        }
    }

    /** Echoes every whole message; Jetty itself answers pings and validates frames. */
    public static final class Echo implements Session.Listener.AutoDemanding {
        private Session session;

        @Override
        public void onWebSocketOpen(Session newSession) {
            session = newSession;
        }

        @Override
        public void onWebSocketText(String message) {
            session.sendText(message, Callback.NOOP);
        }

        @Override
        public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
            session.sendBinary(payload, callback);
        }
    }
}
