package io.wsbench.harness;

import io.wsbench.record.ProcessMemory;
import io.wsbench.server.EchoServer;
import io.wsbench.server.EmbeddedServerSupport;
import io.wsbench.server.ServerSettings;
import io.wsbench.server.ServerTls;
import io.wsbench.server.ServerConfig;
import io.wsbench.server.ServerStartException;
import io.wsbench.servers.EchoServers;

import io.wsbench.wire.Transport;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.StringJoiner;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One embedded echo server, standalone, for benchmarking it from another process or host with
 * {@code -p target=URI}: {@code ServeMain NAME [--host H] [--port P] [--tls [--tls-provider jdk|openssl]]
 * [--compression] [--server-threads N] [--transport T] [--for SECONDS | --control]}.
 *
 * <p>The server runs with {@link ServerConfig#defaults()}, the configuration the benchmarks use, with
 * only the options given changed. The first line on standard output is the URI to connect to; the
 * server stops on Ctrl-C (SIGINT/SIGTERM, through a shutdown hook) or after {@code --for} seconds.
 *
 * <p>With {@code --control} ({@link ForkedJvmServer}'s child) it stops instead when its stdin ends, so a parent
 * that dies, even by SIGKILL, leaves no server behind, and exits 0. Each line on stdin is then a command, answered by
 * one line on stdout: {@code heap} by {@code heap BYTES} (heap used right after {@code System.gc()}), {@code settings}
 * by {@code settings } and the live settings as {@link #settingsLine}, anything that fails by {@code error WHY}.
 * Everything else the JVM prints to {@code System.out} goes to stderr, so stdout carries only the URI and the answers.
 */
public final class ServeMain {
    private static final String USAGE = "usage: ServeMain NAME [--host H] [--port P] [--tls [--tls-provider jdk|openssl]]"
            + " [--compression] [--server-threads N] [--transport auto|epoll|nio] [--for SECONDS | --control]\n"
            + "  NAME: one of " + String.join(", ", EchoServers.names()) + "; --host defaults to 127.0.0.1, --port to 0"
            + " (ephemeral), --for to 3600; --control: stop when stdin ends, answer 'heap' and 'settings' lines on it";
    /** Separates the name and the entries of a {@link #settingsLine}: settings values contain spaces, never tabs. */
    private static final char SETTINGS_SEPARATOR = '\t';
    private static final Duration DEFAULT_LIFETIME = Duration.ofHours(1);

    private ServeMain() {
    }

    /** What to serve, parsed from the command line. */
    record Options(String name, ServerConfig config, boolean tls, Duration lifetime, boolean control) {
    }

    public static void main(String[] args) throws InterruptedException, IOException {
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
        PrintStream stdout = System.out;
        if (options.control()) {
            System.setOut(System.err); // stdout is the control channel: the servers' libraries may print too
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
        stdout.println(uri);
        stdout.flush();
        if (options.control()) {
            System.err.println(server.name() + " echo server listening at " + uri + " until its stdin ends");
            answerCommands(server, new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)), stdout);
            stop.run();
            return;
        }
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
        if (EchoServers.onVirtualThreads(options.name())) {
            // As the benchmark JVM does for an embedded server: as many carriers as server threads.
            EmbeddedServerSupport.sizeVirtualThreadCarriers(options.config().serverThreads());
        }
        return server;
    }

    /** Answers each command line of {@code commands} with one line on {@code replies}, until {@code commands} ends. */
    static void answerCommands(EchoServer server, BufferedReader commands, PrintStream replies) throws IOException {
        String line;
        while ((line = commands.readLine()) != null) {
            String command = line.trim();
            if (!command.isEmpty()) {
                replies.println(answer(server, command));
                replies.flush();
            }
        }
    }

    static String answer(EchoServer server, String command) {
        try {
            return switch (command) {
                case "heap" -> "heap " + ProcessMemory.heapUsedAfterGcBytes();
                case "settings" -> "settings " + settingsLine(server.settings());
                default -> "error unknown command '" + command + "': use heap or settings";
            };
        } catch (RuntimeException e) {
            return ("error " + command + " failed: " + e).replaceAll("\\R", " ");
        }
    }

    /**
     * {@code NAME<TAB>KEY=VALUE<TAB>KEY=VALUE...}: {@link ServerSettings} on one line that {@link #parseSettingsLine}
     * reads back exactly (its {@link ServerSettings#describe()} separates by spaces, which values contain too).
     */
    static String settingsLine(ServerSettings settings) {
        StringJoiner line = new StringJoiner(String.valueOf(SETTINGS_SEPARATOR));
        line.add(settings.server());
        settings.values().forEach((key, value) -> line.add(key + "=" + value.replaceAll("[\\t\\r\\n]", " ")));
        return line.toString();
    }

    static ServerSettings parseSettingsLine(String line) {
        String[] fields = line.split(String.valueOf(SETTINGS_SEPARATOR), -1);
        ServerSettings.Builder settings = ServerSettings.of(fields[0]);
        for (int i = 1; i < fields.length; i++) {
            int equals = fields[i].indexOf('=');
            if (equals < 1) {
                throw new IllegalArgumentException("not a KEY=VALUE settings entry: '" + fields[i] + "' in '" + line + "'");
            }
            settings.put(fields[i].substring(0, equals), fields[i].substring(equals + 1));
        }
        return settings.build();
    }

    /** The options, or null when help was asked for; the server name is checked when the server is created. */
    static Options parse(String[] args) {
        if (args.length == 0) {
            throw new IllegalArgumentException("which server? give its name");
        }
        ServerConfig config = ServerConfig.defaults();
        String name = null;
        boolean tls = false;
        String tlsProvider = null;
        Duration lifetime = null;
        boolean control = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "-h", "--help" -> {
                    return null;
                }
                case "--tls" -> tls = true;
                case "--tls-provider" -> tlsProvider = value(args, ++i, arg);
                case "--compression" -> config = config.withCompression(true);
                case "--control" -> control = true;
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
        if (tlsProvider != null && !tls) {
            throw new IllegalArgumentException("--tls-provider " + tlsProvider + " chooses how --tls is served; add --tls");
        }
        if (control && lifetime != null) {
            throw new IllegalArgumentException("--control stops the server when stdin ends, --for after a time; give one of them");
        }
        config = config.withTls(ServerTls.of(tls, tlsProvider == null ? "jdk" : tlsProvider));
        return new Options(name, config, tls, lifetime == null ? DEFAULT_LIFETIME : lifetime, control);
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
