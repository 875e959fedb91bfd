package io.wsbench.servers;

import io.wsbench.server.EmbeddedEchoServer;
import io.wsbench.server.ServerSettings;
import io.wsbench.server.ServerConfig;
import io.wsbench.server.ServerThreads;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The physical floor: a plain {@link ServerSocket} with one blocking thread per connection that writes back every
 * byte it reads, no event loop, no framing, no library. With the round trip's blocking client it is the least any
 * echo over loopback TCP can cost in this JVM, so every other row can be read against it. It speaks the raw-TCP
 * floor's protocol ({@code tcp://}: the client length-prefixes, this server does not even parse that).
 *
 * <p>Threads: one acceptor and one echo thread per connection (named {@code socket-io-N}), all in the server's
 * {@link ServerThreads} group and joined on close.
 */
public final class SocketEchoServer extends EmbeddedEchoServer implements FloorServer {
    private static final int BUFFER_BYTES = 64 * 1024;
    private static final String ACCEPTOR_NAME = "socket-acceptor";
    private static final String ECHO_THREAD_PREFIX = "socket-io-";

    private final List<Socket> accepted = new CopyOnWriteArrayList<>();
    private ServerSocket listener;

    public SocketEchoServer(ServerConfig config) {
        super("socket", config);
    }

    @Override
    protected URI serve(ServerThreads threads) throws IOException {
        ServerSocket socket = new ServerSocket();
        listener = socket;
        socket.bind(new InetSocketAddress(config.host(), config.port()), 1024);
        Thread acceptor = new Thread(threads.group(), () -> acceptLoop(socket, threads), ACCEPTOR_NAME);
        acceptor.setDaemon(true);
        acceptor.start();
        return URI.create("tcp://" + config.host() + ":" + socket.getLocalPort());
    }

    private void acceptLoop(ServerSocket socket, ServerThreads threads) {
        int connection = 0;
        while (!socket.isClosed()) {
            Socket client;
            try {
                client = socket.accept();
                client.setTcpNoDelay(true);
            } catch (IOException closed) {
                return; // close() closed the listener
            }
            accepted.add(client);
            Thread echo = new Thread(threads.group(), () -> echo(client), ECHO_THREAD_PREFIX + ++connection);
            echo.setDaemon(true);
            echo.start();
        }
    }

    private void echo(Socket client) {
        byte[] buffer = new byte[BUFFER_BYTES];
        try (client; InputStream in = client.getInputStream(); OutputStream out = client.getOutputStream()) {
            for (int read; (read = in.read(buffer)) >= 0; ) {
                out.write(buffer, 0, read);
            }
        } catch (IOException connectionGone) {
            // The peer reset or close() closed the socket: nothing left to echo on this connection.
        } finally {
            accepted.remove(client);
        }
    }

    @Override
    protected ServerSettings readSettings(ServerThreads threads) {
        return ServerSettings.of(name())
                .put(ServerSettings.IO_THREADS, "one blocking thread per connection ("
                        + threads.liveCount(thread -> thread.getName().startsWith(ECHO_THREAD_PREFIX)) + " now)")
                .putConfigured(ServerSettings.WORKER_THREADS, 0)
                .put(ServerSettings.ACCEPTOR_THREADS, threads.liveCount(thread -> thread.getName().equals(ACCEPTOR_NAME)))
                .putConfigured(ServerSettings.TRANSPORT, "java.net.ServerSocket, blocking")
                .putConfigured(ServerSettings.MAX_MESSAGE_BYTES, "none, bytes echoed unparsed")
                .putConfigured(ServerSettings.IDLE_TIMEOUT_MS, "none")
                .putConfigured(ServerSettings.COMPRESSION, false)
                .put(ServerSettings.LIVE_THREADS, threads.liveCount())
                .build();
    }

    @Override
    protected void stop(ServerThreads threads) throws IOException {
        if (listener != null) {
            listener.close();
        }
        for (Socket client : accepted) {
            client.close();
        }
    }
}
