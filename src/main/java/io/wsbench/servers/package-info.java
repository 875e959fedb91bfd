/**
 * The servers under test, one class per library, each extending {@link io.wsbench.server.EmbeddedEchoServer} (the
 * Python ones, run as child processes, in {@code servers.python}), and the registry ({@link
 * io.wsbench.servers.EchoServers}) that names them for {@code -p server=}. What runs them for a benchmark lives in
 * {@code harness}. Imports {@code server}, {@code servers.python} and {@code wire}.
 */
package io.wsbench.servers;
