package io.wsbench.harness;

import io.wsbench.record.ProcessMemory;
import io.wsbench.record.ProcessTreeUsage;
import io.wsbench.server.EchoServer;
import io.wsbench.server.EmbeddedServerSupport;
import io.wsbench.server.ServerConfig;
import io.wsbench.server.ServerTls;
import io.wsbench.server.ServerStartException;
import io.wsbench.wire.EchoProtocol;

import io.wsbench.server.ServerSettings;
import io.wsbench.servers.EchoServers;
import java.io.IOException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * What a benchmark measures: an embedded server it starts itself ({@code server=netty}) or, when a
 * {@code target} URI is given, a server that is already running somewhere else and is not started
 * or stopped here. With a target, {@code server} only labels what runs there, for reports: by
 * convention {@code NAME@HOST}, such as {@code netty@10.0.0.2} for {@code scripts/serve netty} on
 * another host, or {@code nginx@edge}. An embedded JVM server runs inside this JVM, or with {@code serverProcess=forked}
 * in a child JVM of its own ({@link ForkedJvmServer}).
 */
public final class RunningServer implements AutoCloseable {
    private static final Set<String> TARGET_SCHEMES = Set.of("ws", "wss", "tcp");
    private static final String RAW_TCP = "rawtcp";

    private final String name;
    private final URI uri;
    private final EchoServer embedded;

    private RunningServer(String name, URI uri, EchoServer embedded) {
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
    public static RunningServer start(String server, String target, ServerConfig config) {
        return start(server, target, config, ServerProcess.EMBEDDED);
    }

    /**
     * As {@link #start(String, String, ServerConfig)}, with the embedded server inside this JVM or, for {@link
     * ServerProcess#FORKED}, in a child JVM of its own.
     *
     * @throws IllegalArgumentException also for forked with a target (nothing starts here) or a Python server (a child
     *     process already)
     */
    public static RunningServer start(String server, String target, ServerConfig config, ServerProcess process) {
        if (target != null && !target.isBlank()) {
            if (process == ServerProcess.FORKED) {
                throw new IllegalArgumentException("serverProcess=forked starts the embedded server in a child JVM, but with"
                        + " target " + target + " nothing starts here: drop -p serverProcess, or -p target to fork " + server);
            }
            URI uri = parseTarget(target);
            checkLabel(server, uri);
            return new RunningServer(server, uri, null);
        }
        if (process == ServerProcess.FORKED) {
            ForkedJvmServer forked = new ForkedJvmServer(server, config);
            URI uri = forked.start();
            return new RunningServer(forked.name(), uri, forked);
        }
        if (EchoServers.onVirtualThreads(server)) {
            EmbeddedServerSupport.sizeVirtualThreadCarriers(config.serverThreads());
        }
        EchoServer echoServer = EchoServers.create(server, config);
        URI uri = echoServer.start();
        return new RunningServer(echoServer.name(), uri, echoServer);
    }

    /**
     * Refuses parameters that only make sense for an embedded server, or only for a target, in the
     * other case: a fixed {@code port} with a target (the port is the target's), an {@code echoPrefix}
     * that an embedded server does not add (see {@link #echoPrefix}).
     */
    public static void requireConsistent(String server, String target, int port, String echoPrefix) {
        boolean external = target != null && !target.isBlank();
        if (external && port != 0) {
            throw new IllegalArgumentException("port=" + port + " is the embedded server's port, but with target " + target
                    + " nothing starts here and the port is the one in the target URI; drop -p port");
        }
        if (!external) {
            echoPrefix(server, target, echoPrefix);
        }
    }

    /**
     * Refuses a scenario the server cannot serve, before it starts: {@code tls} on a server that serves {@code ws://}
     * only (the floors, the Python servers) or with a target (whose URI says wss:// or not), {@code compression} on a
     * floor (permessage-deflate is a WebSocket extension; raw TCP has none). A WebSocket server without
     * permessage-deflate is caught by the client at its handshake, which names the server.
     */
    public static void requireScenario(String server, String target, ServerTls tls, boolean compression) {
        boolean external = target != null && !target.isBlank();
        if (external) {
            if (tls.enabled()) {
                throw new IllegalArgumentException("tls=true starts the embedded server with TLS; with -p target the URI says"
                        + " it: use -p target=wss://HOST:PORT/PATH (and -p trustAllCertificates=true for a self-signed"
                        + " certificate), and drop -p tls");
            }
            if (compression && parseTarget(target).getScheme().equals("tcp")) {
                throw new IllegalArgumentException("compression=deflate is permessage-deflate, a WebSocket extension; the"
                        + " raw-TCP target " + target + " has none: use -p compression=none");
            }
            return;
        }
        Optional<EchoServer> described = described(server);
        if (described.isEmpty()) {
            return; // an unknown name fails when the server starts, after the other parameters are checked
        }
        if (tls.enabled() && !described.get().servesTls()) {
            throw new IllegalArgumentException("tls=true: server=" + server + " serves ws:// only here; the servers that serve"
                    + " wss:// are " + String.join(", ", EchoServers.webSocketNames()) + "; drop -p tls or pick one of them");
        }
        if (compression && EchoServers.isFloor(server)) {
            throw new IllegalArgumentException("compression=deflate is permessage-deflate, a WebSocket extension; the floor "
                    + server + " speaks raw TCP and has none: use -p compression=none, or a WebSocket server");
        }
    }

    /**
     * The text in front of every echo that the client must expect: an embedded server's own (e.g. {@code "Echo: "}
     * for fastapi), or for a target the {@code echoPrefix} parameter. Checked before any server starts.
     *
     * @throws IllegalArgumentException for a non-empty {@code echoPrefix} that an embedded server does not add (an
     *     unknown server name is left to {@link #start}, so that the other parameters are checked first)
     */
    public static String echoPrefix(String server, String target, String echoPrefix) {
        if (target != null && !target.isBlank()) {
            return echoPrefix;
        }
        Optional<EchoServer> described = described(server);
        if (described.isEmpty()) {
            return echoPrefix; // an unknown name fails when the server starts, after the other parameters are checked
        }
        String own = described.get().echoPrefix();
        if (!echoPrefix.isEmpty() && !echoPrefix.equals(own)) {
            if (own.isEmpty()) {
                throw new IllegalArgumentException("echoPrefix='" + echoPrefix + "' is for a -p target server that puts text"
                        + " in front of its echoes; the embedded server " + server + " echoes messages unchanged, so every echo"
                        + " would fail; drop -p echoPrefix, or add -p target=ws://HOST:PORT/PATH");
            }
            throw new IllegalArgumentException("echoPrefix='" + echoPrefix + "' is not what the embedded server " + server
                    + " puts in front of its echoes ('" + own + "', which is expected without asking); drop -p echoPrefix");
        }
        return own;
    }

    /** The {@code protocol} value that lets the server decide: its own for an embedded one, websocket for a target. */
    public static final String AUTO_PROTOCOL = "auto";

    /**
     * The protocol the client speaks to the server, checked against it and against the message {@code type} before
     * any server starts. {@code auto} (the default): an embedded server's own (flask-socketio: socketio), websocket for
     * a target. A protocol given explicitly must be the embedded server's own; a target speaks it, and its URI must
     * then fit it.
     *
     * @throws IllegalArgumentException naming the mismatch and the fix
     */
    public static EchoProtocol protocol(String server, String target, String protocol, String type) {
        boolean auto = AUTO_PROTOCOL.equalsIgnoreCase(protocol);
        EchoProtocol asked = auto ? EchoProtocol.WEBSOCKET : EchoProtocol.parse(protocol);
        boolean binary = "binary".equalsIgnoreCase(type);
        if (target != null && !target.isBlank()) {
            URI uri = parseTarget(target);
            String query = uri.getRawQuery() == null ? "" : uri.getRawQuery();
            boolean engineIo = (uri.getRawPath() != null && uri.getRawPath().contains("/socket.io")) || query.contains("EIO=");
            if (asked == EchoProtocol.SOCKETIO) {
                String example = uri.getScheme() + "://" + hostForUri(uri.getHost()) + ":" + uri.getPort() + "/socket.io/?EIO=4&transport=websocket";
                if (uri.getScheme().equals("tcp")) {
                    throw new IllegalArgumentException("protocol=socketio runs over WebSocket, not over a tcp:// target; use"
                            + " -p target=ws://HOST:PORT/socket.io/?EIO=4&transport=websocket");
                }
                if (!query.contains("EIO=4") || !query.contains("transport=websocket")) {
                    throw new IllegalArgumentException("protocol=socketio needs a target URI that asks for Engine.IO v4 over the"
                            + " WebSocket transport, with ?EIO=4&transport=websocket (Socket.IO servers refuse a connection"
                            + " without it), e.g. -p target=" + example + " (was " + target + ")");
                }
                if (binary) {
                    throw new IllegalArgumentException("protocol=socketio sends text events only; use -p type=text");
                }
            } else if (engineIo) {
                throw new IllegalArgumentException("target " + target + " looks like a Socket.IO endpoint, which speaks Socket.IO"
                        + " events, not plain WebSocket echoes; add -p protocol=socketio");
            }
            return asked;
        }
        Optional<EchoServer> known = described(server);
        if (known.isEmpty()) {
            return asked; // an unknown name fails when the server starts, after the other parameters are checked
        }
        EchoServer described = known.get();
        EchoProtocol own = described.protocol();
        if (!auto && asked == EchoProtocol.SOCKETIO && own != EchoProtocol.SOCKETIO) {
            throw new IllegalArgumentException("protocol=socketio, but the embedded server " + server + " speaks "
                    + own.paramValue() + ", not Socket.IO; drop -p protocol (socketio is for flask-socketio, and for"
                    + " -p target=ws://HOST:PORT/socket.io/?EIO=4&transport=websocket)");
        }
        if (!auto && asked != own) {
            throw new IllegalArgumentException("protocol=" + asked.paramValue() + ", but the embedded server " + server
                    + " speaks " + own.paramValue() + "; drop -p protocol (auto, the default, takes the server's own) or"
                    + " give -p protocol=" + own.paramValue());
        }
        if (binary && !described.echoesBinary()) {
            throw new IllegalArgumentException("server=" + server + " echoes text messages only (its app reads text), so"
                    + " type=binary cannot be measured on it; use -p type=text");
        }
        return own;
    }

    /** A new, unstarted instance of the embedded server {@code server}, to ask what to expect of it; empty for an unknown name. */
    private static Optional<EchoServer> described(String server) {
        for (String name : EchoServers.names()) {
            if (name.equals(server)) {
                return Optional.of(EchoServers.create(name, ServerConfig.defaults()));
            }
        }
        return Optional.empty();
    }

    /**
     * A target as a URI with an explicit port: {@code ws://HOST[:PORT]/PATH} (port 80 by default),
     * {@code wss://HOST[:PORT]/PATH} (443) or {@code tcp://HOST:PORT} (the raw-TCP echo protocol).
     */
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

    /**
     * Where the broadcast room is: the embedded server's {@code BROADCAST_PATH}, or the target itself (which is then
     * the room's URI).
     *
     * @throws IllegalArgumentException for an embedded server without a room, naming the ones that have one
     */
    public URI broadcastUri() {
        if (embedded == null) {
            return uri;
        }
        if (!embedded.broadcasts()) {
            List<String> rooms = EchoServers.webSocketNames();
            throw new IllegalArgumentException("server=" + name + " has no broadcast room (the floors and the Python servers"
                    + " only echo); the servers with one are " + String.join(", ", rooms) + ", or give the room's URI as -p target");
        }
        return uri.resolve(ServerConfig.BROADCAST_PATH);
    }

    /** Whether this process started the server (and so its threads, or its child process, are the server's). */
    public boolean embedded() {
        return embedded != null;
    }

    /** Whether the server runs in a child JVM of its own ({@code serverProcess=forked}). */
    public boolean forked() {
        return embedded instanceof ForkedJvmServer;
    }

    /**
     * Heap the server's JVM uses right after a full GC, in bytes (a full collection there: call it outside measured
     * windows). A forked server's own JVM; for a server inside this JVM, this JVM's heap, which holds the client's
     * objects too.
     *
     * @throws IllegalStateException for a target or a Python server, which have no JVM heap to read from here
     */
    public long heapUsedAfterGcBytes() {
        if (embedded instanceof ForkedJvmServer forked) {
            return forked.heapUsedAfterGcBytes();
        }
        if (embedded == null) {
            throw new IllegalStateException(name + " is an external target: its heap is not visible from here");
        }
        if (embedded.serverPid().isPresent()) {
            throw new IllegalStateException(name + " runs as a Python child process, without a JVM heap; its memory is"
                    + " the resident set of pid " + embedded.serverPid().getAsLong());
        }
        return ProcessMemory.heapUsedAfterGcBytes();
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

    /** The text the server puts in front of every echo; for a target, none is known here (the benchmark's parameter says). */
    public String echoPrefix() {
        return embedded == null ? "" : embedded.echoPrefix();
    }

    /**
     * The server's process when it is not this JVM, so that its CPU and memory can be read ({@link ProcessTreeUsage}):
     * an embedded server's child process, or the process listening on a target's port when the target is on this host
     * and visible to this user. Empty for a server inside this JVM and for a target elsewhere.
     */
    public OptionalLong serverPid() {
        if (embedded != null) {
            return embedded.serverPid();
        }
        if (!isThisHost(uri.getHost())) {
            return OptionalLong.empty();
        }
        OptionalLong pid = ProcessTreeUsage.pidListeningOn(uri.getPort());
        // A target served from this very JVM (tests do that) is measured as this JVM already.
        return pid.isPresent() && pid.getAsLong() == ProcessHandle.current().pid() ? OptionalLong.empty() : pid;
    }

    private static boolean isThisHost(String host) {
        try {
            InetAddress address = InetAddress.getByName(host.startsWith("[") ? host.substring(1, host.length() - 1) : host);
            return address.isLoopbackAddress() || address.isAnyLocalAddress() || NetworkInterface.getByInetAddress(address) != null;
        } catch (UnknownHostException e) {
            return false; // a name this host cannot resolve is not one of its own addresses
        } catch (IOException e) {
            throw new IllegalStateException("could not list this host's network interfaces to tell whether " + host
                    + " is one of its addresses: " + e.getMessage(), e);
        }
    }

    /** Stops the embedded server; an external target is left alone. */
    @Override
    public void close() {
        if (embedded != null) {
            embedded.close();
        }
    }
}
