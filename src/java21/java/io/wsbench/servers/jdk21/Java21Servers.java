package io.wsbench.servers.jdk21;

import io.wsbench.server.EchoServer;
import io.wsbench.server.ServerConfig;
import io.wsbench.servers.JettyEchoServer;
import io.wsbench.servers.TomcatEchoServer;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BiFunction;

/**
 * Creates the Java 21 servers by their {@code server} name, for {@link io.wsbench.servers.EchoServers}, which loads
 * this class by name on a Java 21+ JVM only. {@code jetty-vt} and {@code tomcat-vt} are the platform-thread servers
 * with one virtual thread per task: only the executor needs Java 21, so they are the same classes given one.
 */
public final class Java21Servers implements BiFunction<String, ServerConfig, EchoServer> {

    public Java21Servers() {
        // Created reflectively by EchoServers.
    }

    @Override
    public EchoServer apply(String name, ServerConfig config) {
        return switch (name) {
            case "helidon" -> new HelidonEchoServer(config);
            case "jetty-vt" -> new JettyEchoServer(config, name, virtualThreadPerTask(name));
            case "tomcat-vt" -> new TomcatEchoServer(config, name, virtualThreadPerTask(name));
            default -> throw new IllegalArgumentException("not a Java 21 server: '" + name + "'");
        };
    }

    /**
     * One new virtual thread per task, named {@code <server>-worker-<n>}: {@link
     * Executors#newVirtualThreadPerTaskExecutor()} with names. It tracks its threads, so the server's close() can
     * wait for them; virtual threads belong to no thread group a server could join.
     */
    static ExecutorService virtualThreadPerTask(String server) {
        return Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name(server + "-worker-", 1).factory());
    }
}
