/**
 * The servers that need Java 21: Helidon SE 4, and Jetty and Tomcat on virtual threads. Compiled with release 21 by
 * pom.xml's {@code jdk21} profile (active on a JDK 21+) from src/java21/java; on Java 17 this package is not built.
 * {@link io.wsbench.servers.EchoServers} reaches it only by name, through {@link
 * io.wsbench.servers.jdk21.Java21Servers}, and only on a Java 21+ JVM. Imports {@code servers}, {@code server} and
 * {@code wire}; nothing imports it.
 */
package io.wsbench.servers.jdk21;
