/**
 * The servers under test, one class each, and the registry ({@link io.wsbench.servers.EchoServers}) that names
 * them for {@code -p server=}; {@link io.wsbench.servers.ServerUnderTest} is what a benchmark measures, an
 * embedded server or one at a URL, and {@code ServeMain} runs one standalone. Imports {@code server} and {@code wire}.
 */
package io.wsbench.servers;
