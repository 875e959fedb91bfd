package io.wsbench.server;

import java.lang.reflect.InvocationTargetException;
import java.util.Locale;

/**
 * TEMPORARY stand-in, written on the conformance branch only so that it compiles: the real
 * registry is written on the servers branch, and this file is to be dropped in favour of it when
 * merging. It looks the implementations up by class name, so it fails with a clear message where
 * they are missing instead of failing to compile.
 */
public final class EchoServers {

    private EchoServers() {
    }

    /** A new, unstarted server: {@code netty}, {@code jetty}, {@code tyrus} or {@code rawtcp}. */
    public static EchoServer create(String name, ServerConfig config) {
        String className = "io.wsbench.server." + switch (name.toLowerCase(Locale.ROOT)) {
            case "netty" -> "NettyEchoServer";
            case "jetty" -> "JettyEchoServer";
            case "tyrus" -> "TyrusEchoServer";
            case "rawtcp" -> "RawTcpEchoServer";
            default -> throw new IllegalArgumentException("unknown server '" + name + "': use netty, jetty, tyrus or rawtcp");
        };
        try {
            return (EchoServer) Class.forName(className).getConstructor(ServerConfig.class).newInstance(config);
        } catch (ClassNotFoundException e) {
            throw new ServerStartException("server '" + name + "' is not in this build: " + className
                    + " is missing; merge the branch that implements it", e);
        } catch (InvocationTargetException e) {
            throw new ServerStartException("creating server '" + name + "' failed: " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new ServerStartException(className + " has no public constructor taking a ServerConfig: " + e, e);
        }
    }
}
