package io.wsbench.servers;

import io.wsbench.server.EchoServer;
import io.wsbench.server.ServerTls;
import io.wsbench.server.ServerConfig;
import io.wsbench.server.ServerStartException;

import io.wsbench.wire.Transport;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One embedded echo server, standalone, for benchmarking it from another process or host with
 * {@code -p target=URI}: {@code ServeMain NAME [--host H] [--port P] [--tls] [--server-threads N]
 * [--transport T] [--for SECONDS]}.
 *
 * <p>The server runs with {@link ServerConfig#defaults()}, the configuration the benchmarks use, with
 * only the options given changed. The first line on standard output is the URI to connect to; the
 * server stops on Ctrl-C (SIGINT/SIGTERM, through a shutdown hook) or after {@code --for} seconds.
 */
public final class ServeMain {
    private static final String USAGE = "usage: ServeMain NAME [--host H] [--port P] [--tls] [--server-threads N]"
            + " [--transport auto|epoll|nio] [--for SECONDS]\n"
            + "  NAME: one of " + String.join(", ", EchoServers.names()) + "; --host defaults to 127.0.0.1, --port to 0"
            + " (ephemeral), --for to 3600";
    private static final Duration DEFAULT_LIFETIME = Duration.ofHours(1);

    private ServeMain() {
    }

    /** What to serve, parsed from the command line. */
    record Options(String name, ServerConfig config, boolean tls, Duration lifetime) {
    }

    public static void main(String[] args) throws InterruptedException {
        Options options;
        EchoServer server;
        try {
            options = parse(args);
            if (options == null) {
                System.out.println(USAGE);
                return;
            }
            server = create(options);
        } catch (IllegalArgumentException e) {
            System.err.println("ServeMain: " + e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        URI uri;
        try {
            uri = server.start();
        } catch (ServerStartException e) {
            System.err.println("ServeMain: " + e.getMessage());
            System.exit(1);
            return;
        }
        AtomicBoolean closed = new AtomicBoolean();
        Runnable stop = () -> {
            if (closed.compareAndSet(false, true)) {
                System.err.println("stopping " + server.name() + " at " + uri);
                server.close();
            }
        };
        Runtime.getRuntime().addShutdownHook(new Thread(stop, "wsbench-serve-stop"));
        System.out.println(uri);
        System.out.flush();
        System.err.println(server.name() + " echo server listening at " + uri + " (Ctrl-C stops it; it stops by itself after "
                + options.lifetime().toSeconds() + " s). Benchmark it with: -p server=" + server.name() + "@" + uri.getHost()
                + " -p target=" + uri + (options.tls() ? " -p trustAllCertificates=true (the certificate is self-signed)" : "")
                + (uri.getHost().equals("0.0.0.0") ? ", with this host's address in place of 0.0.0.0" : ""));
        Thread.sleep(options.lifetime().toMillis());
        stop.run();
    }

    static EchoServer create(Options options) {
        EchoServer server = EchoServers.create(options.name(), options.config());
        if (options.config().tls().enabled() && !server.servesTls()) {
            throw new IllegalArgumentException("--tls: " + options.name() + " serves ws:// only; the WebSocket servers ("
                    + String.join(", ", EchoServers.webSocketNames()) + ") serve wss://");
        }
        return server;
    }

    /** The options, or null when help was asked for; the server name is checked when the server is created. */
    static Options parse(String[] args) {
        if (args.length == 0) {
            throw new IllegalArgumentException("which server? give its name");
        }
        ServerConfig config = ServerConfig.defaults();
        String name = null;
        boolean tls = false;
        Duration lifetime = DEFAULT_LIFETIME;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "-h", "--help" -> {
                    return null;
                }
                case "--tls" -> {
                    tls = true;
                    config = config.withTls(ServerTls.JDK);
                }
                case "--host" -> config = config.withHost(value(args, ++i, arg));
                case "--port" -> config = config.withPort(number(args, ++i, arg));
                case "--server-threads" -> config = config.withServerThreads(number(args, ++i, arg));
                case "--transport" -> config = config.withTransport(Transport.parse(value(args, ++i, arg)));
                case "--for" -> {
                    int seconds = number(args, ++i, arg);
                    if (seconds < 1) {
                        throw new IllegalArgumentException("--for must be at least 1 second, was " + seconds);
                    }
                    lifetime = Duration.ofSeconds(seconds);
                }
                default -> {
                    if (arg.startsWith("-") || name != null) {
                        throw new IllegalArgumentException("unexpected argument '" + arg + "'");
                    }
                    name = arg;
                }
            }
        }
        if (name == null) {
            throw new IllegalArgumentException("which server? give its name");
        }
        return new Options(name, config, tls, lifetime);
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    private static int number(String[] args, int i, String option) {
        String text = value(args, i, option);
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " needs a whole number, got '" + text + "'", e);
        }
    }
}
