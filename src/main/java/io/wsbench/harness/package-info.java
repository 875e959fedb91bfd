/**
 * What runs a server for a benchmark, apart from the servers themselves: {@link io.wsbench.harness.RunningServer} is
 * what a benchmark measures, a server of the registry or one at a URL, with what the client must expect of it (echo
 * prefix, protocol) and its process when that is not this JVM; {@link io.wsbench.harness.ServerProcess} says where
 * it runs ({@code serverProcess=embedded|forked}); {@link io.wsbench.harness.ServeMain} runs one standalone
 * ({@code scripts/serve}), and {@link io.wsbench.harness.ForkedJvmServer} runs ServeMain in a child JVM for {@code
 * serverProcess=forked}. Imports {@code servers} (the registry), {@code servers.python} (child-process log and
 * start-timeout settings), {@code server}, {@code wire} and, to find a target's process and read heaps, {@code
 * record}; nothing in src/main imports it.
 */
package io.wsbench.harness;
