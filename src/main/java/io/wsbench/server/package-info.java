/**
 * The contract every embedded echo server implements ({@link io.wsbench.server.EchoServer}, {@link
 * io.wsbench.server.ServerConfig}) and the plumbing they share: Netty binding, named thread groups that are
 * joined on stop, bind errors that name the port, a self-signed certificate. Imports only {@code wire}.
 */
package io.wsbench.server;
