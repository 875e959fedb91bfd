package io.wsbench.servers;

import io.wsbench.server.EchoServer;
import io.wsbench.server.ServerConfig;
import io.wsbench.servers.python.ChildProcessServer;
import io.wsbench.servers.python.FastApiEchoServer;
import io.wsbench.servers.python.FlaskSocketIoEchoServer;
import io.wsbench.wire.EchoProtocol;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.function.Function;

/**
 * The embedded servers by the name used in the {@code server} parameter: the JVM servers and the floor run inside
 * the benchmark JVM, the Python servers ({@code servers.python}) as its child processes.
 */
public final class EchoServers {
    private static final Map<String, Function<ServerConfig, EchoServer>> FACTORIES = new LinkedHashMap<>();

    static {
        FACTORIES.put("netty", NettyEchoServer::new);
        FACTORIES.put("jetty", JettyEchoServer::new);
        FACTORIES.put("tyrus", TyrusEchoServer::new);
        FACTORIES.put("undertow", UndertowEchoServer::new);
        FACTORIES.put("vertx", VertxEchoServer::new);
        FACTORIES.put("javawebsocket", JavaWebSocketEchoServer::new);
        FACTORIES.put("rawtcp", RawTcpEchoServer::new);
        FACTORIES.put("socket", SocketEchoServer::new);
        FACTORIES.put("fastapi", FastApiEchoServer::new);
        FACTORIES.put("flask-socketio", FlaskSocketIoEchoServer::new);
    }

    private EchoServers() {
    }

    /** The physical floors: plain TCP echoes that every WebSocket figure is read against. */
    private static final Set<String> FLOORS = Set.of("rawtcp", "socket");

    /** Valid names, in the order reports list them. */
    public static Iterable<String> names() {
        return FACTORIES.keySet();
    }

    /**
     * The WebSocket echo servers (every name but the floors, and but the servers that answer with something else
     * than the message: a prefix such as "Echo: ", or Socket.IO events): each is held to the WebSocket contract
     * and conformance tests.
     */
    public static List<String> webSocketNames() {
        return FACTORIES.keySet().stream().filter(name -> !FLOORS.contains(name)).filter(name -> {
            EchoServer server = create(name, ServerConfig.defaults());
            return server.echoPrefix().isEmpty() && server.protocol() == EchoProtocol.WEBSOCKET && server.echoesBinary();
        }).toList();
    }

    /** The servers that run inside this JVM (not as a child process), floors included. */
    public static List<String> inProcessNames() {
        return FACTORIES.keySet().stream()
                .filter(name -> !(create(name, ServerConfig.defaults()) instanceof ChildProcessServer))
                .toList();
    }

    /** The servers that run as child processes of this JVM: the Python ones. */
    public static List<String> childProcessNames() {
        return FACTORIES.keySet().stream()
                .filter(name -> create(name, ServerConfig.defaults()) instanceof ChildProcessServer)
                .toList();
    }

    /** Prints the names, comma-separated, for the scripts' default server lists. */
    public static void main(String[] args) {
        System.out.println(String.join(",", FACTORIES.keySet()));
    }

    /** A new, not yet started server; an unknown name fails at once, listing the valid ones. */
    public static EchoServer create(String name, ServerConfig config) {
        Function<ServerConfig, EchoServer> factory = FACTORIES.get(name);
        if (factory == null) {
            throw new IllegalArgumentException("unknown server '" + name + "': valid servers are "
                    + String.join(", ", FACTORIES.keySet()) + " (e.g. -p server=netty)");
        }
        return factory.apply(config);
    }
}
