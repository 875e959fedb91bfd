/**
 * The servers under test, one class each (the Python ones, run as child processes, in {@code servers.python}),
 * and the registry ({@link io.wsbench.servers.EchoServers}) that names them for {@code -p server=}; {@link
 * io.wsbench.servers.ServerUnderTest} is what a benchmark measures, an embedded server or one at a URL, with
 * what the client must expect of it (echo prefix, protocol) and its process when that is not this JVM, and
 * {@code ServeMain} runs one standalone; {@link io.wsbench.servers.ForkedJvmServer} runs ServeMain in a child JVM
 * for {@code serverProcess=forked}. Imports {@code server}, {@code servers.python}, {@code wire} and, to find a
 * target's process and read heaps, {@code record}.
 */
package io.wsbench.servers;
