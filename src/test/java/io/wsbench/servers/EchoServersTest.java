package io.wsbench.servers;

import io.wsbench.server.EchoServer;
import io.wsbench.server.ServerConfig;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.StreamSupport;

import jakarta.websocket.server.ServerEndpointConfig;
import org.glassfish.tyrus.core.TyrusServerEndpointConfigurator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The registry knows every server on every JDK: the Java 21 ones fail at once on an older JVM, naming the JDK they
 * need, and are created on a Java 21+ one. Each JDK runs the half of these tests that applies to it.
 */
class EchoServersTest {

    private static final List<String> JAVA21_SERVERS = List.of("helidon", "jetty-vt", "tomcat-vt");

    @Test
    void everyServerIsListedWhateverTheJdk() {
        assertThat(StreamSupport.stream(EchoServers.names().spliterator(), false).toList())
                .containsSubsequence("jetty", "jetty-vt", "tomcat", "tomcat-vt", "helidon", "rawtcp");
        assertThat(EchoServers.webSocketNames()).containsAll(JAVA21_SERVERS).doesNotContain("rawtcp");
        JAVA21_SERVERS.forEach(name -> assertThat(EchoServers.minimumJava(name)).as(name).isEqualTo(21));
        assertThat(EchoServers.minimumJava("tomcat")).isEqualTo(17);
    }

    @ParameterizedTest
    @ValueSource(strings = {"helidon", "jetty-vt", "tomcat-vt"})
    void aJava21ServerFailsAtOnceOnAnOlderJvmNamingTheJdkItNeeds(String name) {
        assumeTrue(Runtime.version().feature() < 21, "this JVM is Java 21+, where " + name + " runs");
        String expected = "server=" + name + " needs Java 21 or newer (this JVM is " + System.getProperty("java.version")
                + "); run JMH with -jvm /path/to/jdk21+/bin/java or set JAVA_HOME";
        assertThat(EchoServers.unavailableReason(name)).contains(expected);
        assertThatThrownBy(() -> EchoServers.create(name, ServerConfig.defaults()))
                .isInstanceOf(IllegalArgumentException.class).hasMessage(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"helidon", "jetty-vt", "tomcat-vt"})
    void aJava21ServerIsCreatedOnAJava21Jvm(String name) {
        assumeTrue(Runtime.version().feature() >= 21, "a Java " + Runtime.version().feature() + " JVM cannot run " + name);
        assertThat(EchoServers.unavailableReason(name)).isEmpty();
        try (EchoServer server = EchoServers.create(name, ServerConfig.defaults())) {
            assertThat(server.name()).isEqualTo(name);
        }
    }

    @Test
    void platformThreadServersRunOnEveryJdk() {
        for (String name : List.of("netty", "jetty", "tyrus", "tomcat", "rawtcp")) {
            assertThat(EchoServers.unavailableReason(name)).as(name).isEmpty();
        }
    }

    /**
     * Tyrus and Tomcat both register a default ServerEndpointConfig.Configurator; the first on the classpath is the
     * JVM-wide default. Tyrus's negotiation of its own permessage-deflate relies on its default, so Tyrus's jars come
     * before Tomcat's in pom.xml (TomcatEchoServer overrides every configurator method and needs no default).
     */
    @Test
    void tyrusDefaultConfiguratorComesFirst() {
        ServerEndpointConfig.Configurator first = ServiceLoader.load(ServerEndpointConfig.Configurator.class)
                .findFirst().orElseThrow();
        assertThat(first).isInstanceOf(TyrusServerEndpointConfigurator.class);
    }
}
