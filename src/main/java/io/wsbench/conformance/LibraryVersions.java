package io.wsbench.conformance;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * The versions of the server libraries on the class path, read from the {@code pom.properties}
 * that Maven puts in every jar (and that the shaded benchmarks jar keeps), so the report states
 * what was actually run rather than what the pom asked for.
 */
public final class LibraryVersions {

    private LibraryVersions() {
    }

    /** "Netty" → "4.2.18.Final" and so on; "unknown (...)" where a jar's metadata is missing. */
    public static Map<String, String> servers() {
        Map<String, String> versions = new LinkedHashMap<>();
        versions.put("Netty", of("io.netty", "netty-codec-http"));
        versions.put("Jetty", of("org.eclipse.jetty.websocket", "jetty-websocket-jetty-server"));
        versions.put("Tyrus", of("org.glassfish.tyrus", "tyrus-server"));
        versions.put("Undertow", of("io.undertow", "undertow-core"));
        versions.put("Vert.x", of("io.vertx", "vertx-core"));
        versions.put("Java-WebSocket", of("org.java-websocket", "Java-WebSocket"));
        versions.put("Tomcat", tomcat());
        String helidon = of("io.helidon.webserver", "helidon-webserver-websocket");
        if (!helidon.startsWith("unknown")) {
            // Only in a build made on a JDK 21+.
            versions.put("Helidon", helidon);
        }
        return versions;
    }

    /** Tomcat's embed jars carry no pom.properties; Tomcat states its version in ServerInfo.properties. */
    static String tomcat() {
        String resource = "org/apache/catalina/util/ServerInfo.properties";
        try (InputStream in = LibraryVersions.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                return "unknown (no " + resource + " on the class path)";
            }
            Properties properties = new Properties();
            properties.load(in);
            String info = properties.getProperty("server.info", "");
            return info.startsWith("Apache Tomcat/") ? info.substring("Apache Tomcat/".length())
                    : "unknown (" + resource + " says '" + info + "')";
        } catch (IOException e) {
            return "unknown (reading " + resource + " failed: " + e.getMessage() + ")";
        }
    }

    /** The version of {@code groupId:artifactId} on the class path. */
    public static String of(String groupId, String artifactId) {
        String resource = "META-INF/maven/" + groupId + "/" + artifactId + "/pom.properties";
        try (InputStream in = LibraryVersions.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                return "unknown (no " + resource + " on the class path)";
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version", "unknown (" + resource + " has no version)");
        } catch (IOException e) {
            return "unknown (reading " + resource + " failed: " + e.getMessage() + ")";
        }
    }
}
