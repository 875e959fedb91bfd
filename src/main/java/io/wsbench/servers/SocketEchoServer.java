package io.wsbench.servers;

import io.wsbench.server.EmbeddedServerSupport;
import io.wsbench.server.ServerSettings;
import io.wsbench.server.ServerConfig;
import io.wsbench.server.ServerStartException;
import io.wsbench.server.ServerThreads;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.BindException;
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
public final class SocketEchoServer implements FloorServer {
    private static final int BUFFER_BYTES = 64 * 1024;
    private static final String ACCEPTOR_NAME = "socket-acceptor";
    private static final String ECHO_THREAD_PREFIX = "socket-io-";

    private final ServerConfig config;
    private final List<Socket> accepted = new CopyOnWriteArrayList<>();
    private ServerThreads threads;
    private ServerSocket listener;

    public SocketEchoServer(ServerConfig config) {
        this.config = config;
    }

    @Override
    public String name() {
        return "socket";
    }

    @Override
    public synchronized URI start() {
        if (listener != null) {
            throw new IllegalStateException("socket server already started");
        }
        ServerSocket socket;
        try {
            socket = new ServerSocket();
            socket.bind(new InetSocketAddress(config.host(), config.port()), 1024);
        } catch (BindException e) {
            throw new ServerStartException(name() + " could not bind " + config.host() + ":" + config.port() + ": port "
                    + config.port() + " is already in use; stop whatever listens there, pick another port, or use port 0"
                    + " for an ephemeral one", e);
        } catch (IOException e) {
            throw new ServerStartException(name() + " could not bind " + config.host() + ":" + config.port() + ": " + e, e);
        }
        listener = socket;
        threads = new ServerThreads(name());
        Thread acceptor = new Thread(threads.group(), () -> acceptLoop(socket), ACCEPTOR_NAME);
        acceptor.setDaemon(true);
        acceptor.start();
        return URI.create("tcp://" + config.host() + ":" + socket.getLocalPort());
    }

    private void acceptLoop(ServerSocket socket) {
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
    public synchronized ServerSettings settings() {
        EmbeddedServerSupport.requireStarted(listener != null, name());
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
    public boolean ownsThread(Thread thread) {
        ServerThreads current = threads;
        return current != null && current.contains(thread);
    }

    @Override
    public synchronized void close() {
        if (listener == null) {
            return;
        }
        ServerSocket socket = listener;
        listener = null;
        threads.stopAndJoin(() -> {
            socket.close();
            for (Socket client : accepted) {
                client.close();
            }
        });
    }
}
