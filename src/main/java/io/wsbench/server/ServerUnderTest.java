package io.wsbench.server;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * What a benchmark measures: an embedded server it starts itself ({@code server=netty}) or, when a
 * {@code target} URI is given, a server that is already running somewhere else and is not started
 * or stopped here.
 */
public final class ServerUnderTest implements AutoCloseable {
    private final String name;
    private final URI uri;
    private final EchoServer embedded;

    private ServerUnderTest(String name, URI uri, EchoServer embedded) {
        this.name = name;
        this.uri = uri;
        this.embedded = embedded;
    }

    /**
     * Starts the embedded server {@code server}, or, if {@code target} is not blank, uses that URI.
     *
     * @throws IllegalArgumentException for an unknown server name or a malformed target
     * @throws ServerStartException if the embedded server cannot start
     */
    public static ServerUnderTest start(String server, String target, ServerConfig config) {
        if (target != null && !target.isBlank()) {
            return new ServerUnderTest("target", parseTarget(target), null);
        }
        EchoServer echoServer = EchoServers.create(server, config);
        URI uri = echoServer.start();
        return new ServerUnderTest(echoServer.name(), uri, echoServer);
    }

    static URI parseTarget(String target) {
        try {
            URI uri = new URI(target.trim());
            if (uri.getScheme() == null || uri.getHost() == null || uri.getPort() < 0) {
                throw new URISyntaxException(target, "needs scheme, host and port");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("target '" + target + "' is not a server address: use ws://HOST:PORT/PATH"
                    + " (or tcp://HOST:PORT for a raw-TCP echo)", e);
        }
    }

    /** The embedded server's name, or {@code target} for an external one. */
    public String name() {
        return name;
    }

    public URI uri() {
        return uri;
    }

    /** Whether this process started the server (and so its threads are the server's). */
    public boolean embedded() {
        return embedded != null;
    }

    /** Stops the embedded server; an external target is left alone. */
    @Override
    public void close() {
        if (embedded != null) {
            embedded.close();
        }
    }
}
