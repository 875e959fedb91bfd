package io.wsbench.servers;

import io.wsbench.server.EchoServer;
import io.wsbench.server.ServerConfig;
import io.wsbench.server.ServerStartException;

import io.wsbench.server.ServerSettings;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Set;

/**
 * What a benchmark measures: an embedded server it starts itself ({@code server=netty}) or, when a
 * {@code target} URI is given, a server that is already running somewhere else and is not started
 * or stopped here. With a target, {@code server} only labels what runs there, for reports: by
 * convention {@code NAME@HOST}, such as {@code netty@10.0.0.2} for {@code scripts/serve netty} on
 * another host, or {@code nginx@edge}.
 */
public final class ServerUnderTest implements AutoCloseable {
    private static final Set<String> TARGET_SCHEMES = Set.of("ws", "wss", "tcp");
    private static final String RAW_TCP = "rawtcp";

    private final String name;
    private final URI uri;
    private final EchoServer embedded;

    private ServerUnderTest(String name, URI uri, EchoServer embedded) {
        this.name = name;
        this.uri = uri;
        this.embedded = embedded;
    }

    /**
     * Starts the embedded server {@code server}, or, if {@code target} is not blank, uses that URI
     * and takes {@code server} as its label.
     *
     * @throws IllegalArgumentException for an unknown server name, a malformed target, or a label that is
     *     an embedded server's name or contradicts the target's protocol
     * @throws ServerStartException if the embedded server cannot start
     */
    public static ServerUnderTest start(String server, String target, ServerConfig config) {
        if (target != null && !target.isBlank()) {
            URI uri = parseTarget(target);
            checkLabel(server, uri);
            return new ServerUnderTest(server, uri, null);
        }
        EchoServer echoServer = EchoServers.create(server, config);
        URI uri = echoServer.start();
        return new ServerUnderTest(echoServer.name(), uri, echoServer);
    }

    /**
     * A target as a URI with an explicit port: {@code ws://HOST[:PORT]/PATH} (port 80 by default),
     * {@code wss://HOST[:PORT]/PATH} (443) or {@code tcp://HOST:PORT} (the raw-TCP echo protocol).
     */
    /**
     * Refuses parameters that only make sense for an embedded server, or only for a target, in the
     * other case: a fixed {@code port} with a target (the port is the target's), an {@code echoPrefix}
     * without one (the embedded servers echo unchanged, so every echo would fail).
     */
    public static void requireConsistent(String server, String target, int port, String echoPrefix) {
        boolean external = target != null && !target.isBlank();
        if (external && port != 0) {
            throw new IllegalArgumentException("port=" + port + " is the embedded server's port, but with target " + target
                    + " nothing starts here and the port is the one in the target URI; drop -p port");
        }
        if (!external && !echoPrefix.isEmpty()) {
            throw new IllegalArgumentException("echoPrefix='" + echoPrefix + "' is for a -p target server that puts text in"
                    + " front of its echoes; the embedded server " + server + " echoes messages unchanged, so every echo"
                    + " would fail; drop -p echoPrefix, or add -p target=ws://HOST:PORT/PATH");
        }
    }

    static URI parseTarget(String target) {
        URI uri;
        try {
            uri = new URI(target.trim());
        } catch (URISyntaxException e) {
            throw badTarget(target, e.getMessage(), e);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!TARGET_SCHEMES.contains(scheme)) {
            throw badTarget(target, "the scheme must be ws, wss or tcp", null);
        }
        if (uri.getHost() == null) {
            throw badTarget(target, "it has no host", null);
        }
        int port = uri.getPort();
        if (port < 0) {
            if (scheme.equals("tcp")) {
                throw badTarget(target, "a tcp:// target needs a port", null);
            }
            port = scheme.equals("wss") ? 443 : 80;
        }
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
        return URI.create(scheme + "://" + hostForUri(uri.getHost()) + ":" + port + (scheme.equals("tcp") ? "" : path + query));
    }

    /** IPv6 literals need their brackets back when the URI is rebuilt; URI.getHost() keeps them already. */
    private static String hostForUri(String host) {
        return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    private static IllegalArgumentException badTarget(String target, String why, Throwable cause) {
        return new IllegalArgumentException("target '" + target + "' is not a server address (" + why + "): use"
                + " ws://HOST:PORT/PATH, wss://HOST:PORT/PATH, or tcp://HOST:PORT for a raw-TCP echo", cause);
    }

    /**
     * With a target, {@code server} labels the numbers, so it must say what runs there without being
     * mistaken for an embedded server: a plain embedded name is refused, since a benchmark's default
     * server list (netty, rawtcp, ...) would otherwise measure one target once per name, each run
     * labelled as a different server. A {@code tcp://} target speaks the raw-TCP floor's protocol,
     * so its label starts with {@code rawtcp}, and only its label does.
     */
    private static void checkLabel(String server, URI uri) {
        String example = (uri.getScheme().equals("tcp") ? RAW_TCP : "netty") + "@" + uri.getHost();
        if (server == null || server.isBlank()) {
            throw new IllegalArgumentException("with target " + uri + ", give the server param a label for what runs there,"
                    + " e.g. -p server=" + example);
        }
        for (String embedded : EchoServers.names()) {
            if (embedded.equals(server)) {
                throw new IllegalArgumentException("server=" + server + " with target " + uri + ": with -p target, the server"
                        + " param labels the server at that address (nothing starts here) and must not be an embedded"
                        + " server's name, or the default list would measure this one target once per name; pass one"
                        + " label such as -p server=" + example);
            }
        }
        boolean rawTcpTarget = uri.getScheme().equals("tcp");
        if (rawTcpTarget != server.startsWith(RAW_TCP)) {
            throw new IllegalArgumentException("server=" + server + " does not match target " + uri + ": "
                    + (rawTcpTarget ? "a tcp:// target is a raw-TCP floor, so its label starts with rawtcp"
                            : "labels starting with rawtcp are for tcp:// targets")
                    + ", e.g. -p server=" + example);
        }
    }

    /** The embedded server's name, or the label given for an external target. */
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

    /** The embedded server's live settings; only for an embedded server. */
    public ServerSettings settings() {
        if (embedded == null) {
            throw new IllegalStateException(name + " is an external target: its settings are not visible from here");
        }
        return embedded.settings();
    }

    /** Whether {@code thread} is the embedded server's; never, for an external target (its threads are elsewhere). */
    public boolean ownsThread(Thread thread) {
        return embedded != null && embedded.ownsThread(thread);
    }

    /** Stops the embedded server; an external target is left alone. */
    @Override
    public void close() {
        if (embedded != null) {
            embedded.close();
        }
    }
}
