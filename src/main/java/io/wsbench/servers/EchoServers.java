package io.wsbench.servers;

import io.wsbench.server.EchoServer;
import io.wsbench.server.ServerConfig;
import io.wsbench.servers.python.ChildProcessServer;
import io.wsbench.servers.python.FastApiEchoServer;
import io.wsbench.servers.python.FlaskSocketIoEchoServer;

import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The servers by the name used in the {@code server} parameter: the JVM servers and the floors run inside the
 * benchmark JVM, the Python servers ({@code servers.python}) as its child processes.
 *
 * <p>Every name is known on every JDK. The servers that need Java 21 (Helidon, and Jetty and Tomcat on virtual
 * threads) are compiled only when Maven runs on a JDK 21+ (pom.xml's {@code jdk21} profile, sources in
 * src/java21/java); they are registered with {@code java21("name")} and created by name through {@value
 * #JAVA21_SERVERS}, which is loaded only on a Java 21+ JVM. Anywhere else {@link #create} says which JDK they need.
 */
public final class EchoServers {

    /** The Java feature release the servers in src/java21/java need. */
    public static final int JAVA21 = 21;

    /** Creates the Java 21 servers by name; compiled only on a JDK 21+. */
    static final String JAVA21_SERVERS = "io.wsbench.servers.jdk21.Java21Servers";

    private static final Map<String, Function<ServerConfig, EchoServer>> FACTORIES = new LinkedHashMap<>();
    /** The Java feature release a server needs, when more than the build's 17. */
    private static final Map<String, Integer> MINIMUM_JAVA = new HashMap<>();
    /** The servers that run as child processes of this JVM. */
    private static final Set<String> CHILD_PROCESSES = new LinkedHashSet<>();

    static {
        FACTORIES.put("netty", NettyEchoServer::new);
        FACTORIES.put("jetty", JettyEchoServer::new);
        java21("jetty-vt");
        FACTORIES.put("tyrus", TyrusEchoServer::new);
        FACTORIES.put("undertow", UndertowEchoServer::new);
        FACTORIES.put("vertx", VertxEchoServer::new);
        FACTORIES.put("tomcat", TomcatEchoServer::new);
        java21("tomcat-vt");
        FACTORIES.put("javawebsocket", JavaWebSocketEchoServer::new);
        java21("helidon");
        FACTORIES.put("rawtcp", RawTcpEchoServer::new);
        FACTORIES.put("socket", SocketEchoServer::new);
        childProcess("fastapi", FastApiEchoServer::new);
        childProcess("flask-socketio", FlaskSocketIoEchoServer::new);
    }

    /**
     * Registers a server of src/java21/java, created by {@value #JAVA21_SERVERS} from its name. All of them run on
     * virtual threads (Helidon always, jetty-vt and tomcat-vt by choice).
     */
    private static void java21(String name) {
        FACTORIES.put(name, config -> java21Servers().apply(name, config));
        MINIMUM_JAVA.put(name, JAVA21);
    }

    /** Registers a server that runs as a child process (a {@link ChildProcessServer}). */
    private static void childProcess(String name, Function<ServerConfig, ChildProcessServer> factory) {
        FACTORIES.put(name, factory::apply);
        CHILD_PROCESSES.add(name);
    }

    private EchoServers() {
    }

    /** The physical floors: plain TCP echoes that every WebSocket figure is read against. */
    private static final Set<String> FLOORS = Set.of("rawtcp", "socket");

    /** Whether {@code name} is a physical floor (raw TCP, no WebSocket): rawtcp or socket. */
    public static boolean isFloor(String name) {
        return FLOORS.contains(name);
    }

    /** Valid names, in the order reports list them, whichever JDK this is (see {@link #unavailableReason}). */
    public static Iterable<String> names() {
        return FACTORIES.keySet();
    }

    /**
     * The WebSocket echo servers: every name but the floors and the child-process servers, which answer with
     * something else than the message (a prefix such as "Echo: ", or Socket.IO events). Each is held to the WebSocket
     * contract and conformance tests.
     */
    public static List<String> webSocketNames() {
        return FACTORIES.keySet().stream()
                .filter(name -> !FLOORS.contains(name) && !CHILD_PROCESSES.contains(name))
                .toList();
    }

    /** The servers that run inside this JVM (not as a child process), floors included. */
    public static List<String> inProcessNames() {
        return FACTORIES.keySet().stream().filter(name -> !CHILD_PROCESSES.contains(name)).toList();
    }

    /** The servers that run as child processes of this JVM: the Python ones. */
    public static List<String> childProcessNames() {
        return List.copyOf(CHILD_PROCESSES);
    }

    /**
     * The scripts' default server lists, comma-separated on stdout, of the servers this JVM can run (the scripts run
     * JMH's forks on the JVM that runs this): on Java 17, or with a jar built on Java 17, helidon, jetty-vt and
     * tomcat-vt are left out, as their trials would only fail.
     * <ul>
     *   <li>no argument: every such server;
     *   <li>{@code --in-process}: those that run inside the benchmark JVM (the JVM servers and the floors, not the
     *       Python servers, which are scripts/article's);
     *   <li>{@code --websocket}: the JVM's WebSocket servers (no floors, no Python servers): those with a broadcast room
     *       and TLS;
     *   <li>{@code --runnable LIST}: those of LIST, in its order; each one left out is named on stderr with the
     *       reason (an unknown name fails, exit status 2).
     * </ul>
     */
    public static void main(String[] args) {
        List<String> names;
        if (args.length == 0) {
            names = List.copyOf(FACTORIES.keySet());
        } else if (args.length == 1 && args[0].equals("--in-process")) {
            names = inProcessNames();
        } else if (args.length == 1 && args[0].equals("--websocket")) {
            names = webSocketNames();
        } else if (args.length == 2 && args[0].equals("--runnable")) {
            names = List.of(args[1].split(","));
        } else {
            System.err.println("usage: EchoServers [--in-process | --websocket | --runnable NAME,NAME...]");
            System.exit(2);
            return;
        }
        List<String> runnable = new ArrayList<>();
        try {
            for (String name : names) {
                Optional<String> reason = unavailableReason(name.trim());
                if (reason.isEmpty()) {
                    runnable.add(name.trim());
                } else if (args.length == 2) {
                    System.err.println("leaving out " + reason.get());
                }
            }
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
        }
        System.out.println(String.join(",", runnable));
    }

    /** Whether server {@code name} runs its connections on the JVM's virtual threads, whose carriers are JVM-wide. */
    public static boolean onVirtualThreads(String name) {
        return minimumJava(name) >= JAVA21;
    }

    /** The oldest Java feature release that runs server {@code name}: 17, or 21 for the servers of src/java21/java. */
    public static int minimumJava(String name) {
        factory(name);
        return MINIMUM_JAVA.getOrDefault(name, 17);
    }

    /**
     * Why server {@code name} cannot run in this JVM, naming the JDK it needs; empty when it can. A name that is not a
     * server fails as in {@link #create}.
     */
    public static Optional<String> unavailableReason(String name) {
        int needed = minimumJava(name);
        if (Runtime.version().feature() < needed) {
            return Optional.of("server=" + name + " needs Java " + needed + " or newer (this JVM is "
                    + System.getProperty("java.version") + "); run JMH with -jvm /path/to/jdk" + needed
                    + "+/bin/java or set JAVA_HOME");
        }
        if (needed >= JAVA21 && !java21ServersBuilt()) {
            return Optional.of("server=" + name + " is not in this build: it was compiled on a JDK older than "
                    + needed + ", which leaves out the servers that need Java " + needed + "; rebuild on a JDK "
                    + needed + "+ (JAVA_HOME=/path/to/jdk" + needed + "+ mvn package)");
        }
        return Optional.empty();
    }

    /**
     * A new, not yet started server. An unknown name fails at once, listing the valid ones; so does a server this JVM
     * cannot run, naming the JDK it needs (both {@link IllegalArgumentException}).
     */
    public static EchoServer create(String name, ServerConfig config) {
        Function<ServerConfig, EchoServer> factory = factory(name);
        Optional<String> unavailable = unavailableReason(name);
        if (unavailable.isPresent()) {
            throw new IllegalArgumentException(unavailable.get());
        }
        return factory.apply(config);
    }

    private static Function<ServerConfig, EchoServer> factory(String name) {
        Function<ServerConfig, EchoServer> factory = FACTORIES.get(name);
        if (factory == null) {
            throw new IllegalArgumentException("unknown server '" + name + "': valid servers are "
                    + String.join(", ", FACTORIES.keySet()) + " (e.g. -p server=netty)");
        }
        return factory;
    }

    private static boolean java21ServersBuilt() {
        try {
            Class.forName(JAVA21_SERVERS, false, EchoServers.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    @SuppressWarnings("unchecked")
    private static BiFunction<String, ServerConfig, EchoServer> java21Servers() {
        try {
            return (BiFunction<String, ServerConfig, EchoServer>) Class.forName(JAVA21_SERVERS)
                    .getConstructor().newInstance();
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("cannot create " + JAVA21_SERVERS + ": " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException | LinkageError e) {
            // LinkageError: Java 21 classes left in target/classes by an earlier JDK 21+ build, their libraries gone.
            throw new IllegalStateException("cannot load " + JAVA21_SERVERS + " (" + e + "); this build's Java 21 part"
                    + " is incomplete: rebuild with mvn clean package on a JDK 21+", e);
        }
    }
}
