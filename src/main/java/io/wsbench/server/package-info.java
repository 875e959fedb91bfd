/**
 * The contract every embedded echo server implements ({@link io.wsbench.server.EchoServer}, {@link
 * io.wsbench.server.ServerConfig}), the base of those that run in this JVM ({@link
 * io.wsbench.server.EmbeddedEchoServer}: one start, cleanup of a failed one, idempotent close, thread ownership) and
 * the plumbing they share: Netty binding, named thread groups that are joined on stop, bind errors that name the
 * port, a self-signed certificate, and for a server in a child process its bounded log ({@link
 * io.wsbench.server.ChildOutput}) and stopping it with every descendant ({@link io.wsbench.server.ProcessTree}).
 * Imports only {@code wire}.
 */
package io.wsbench.server;
