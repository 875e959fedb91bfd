package io.wsbench.conformance;

import io.wsbench.server.EchoServer;
import io.wsbench.servers.EchoServers;
import io.wsbench.server.ServerConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Starts each embedded server with {@link ServerConfig#defaults()}, runs the conformance suite
 * against it, writes the Markdown report and prints it.
 *
 * <p>Exit status: 0 when every server was run and stayed up (deviations included), 1 when a server
 * failed to start, stopped serving, or the harness failed, 2 for a usage error.
 */
public final class ConformanceMain {

    static final String USAGE = """
            Usage: java -cp target/benchmarks.jar io.wsbench.conformance.ConformanceMain [options]

            Runs the RFC 6455 conformance cases against each embedded echo server and writes a Markdown table.

            Options:
              --servers LIST     comma-separated servers to test (default: every WebSocket server this JVM runs;
                                 helidon, jetty-vt and tomcat-vt need Java 21+)
              --out FILE         where to write the report (default: results/conformance.md)
              --notes FILE       Markdown put in the report under "Notes", e.g. results/conformance-notes.md
              --timeout-ms N     how long a server has to react before a case records NO_RESPONSE (default: 2000)
              -h, --help         show this help
            """;

    private ConformanceMain() {
    }

    public static void main(String[] args) {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.err.print(USAGE);
            System.exit(2);
            return;
        }
        if (options.help()) {
            System.out.print(USAGE);
            return;
        }
        System.exit(run(options, args, System.out, System.err));
    }

    /** {@code notes} is null when no notes file was given. */
    record Options(List<String> servers, Path out, Path notes, Duration timeout, boolean help) {
        static Options parse(String[] args) {
            List<String> servers = EchoServers.webSocketNames().stream()
                    .filter(name -> EchoServers.unavailableReason(name).isEmpty()).toList();
            Path out = Path.of("results", "conformance.md");
            Path notes = null;
            Duration timeout = ConformanceSuite.DEFAULT_RESPONSE_TIMEOUT;
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                switch (arg) {
                    case "-h", "--help" -> {
                        return new Options(servers, out, notes, timeout, true);
                    }
                    case "--servers" -> servers = Arrays.stream(value(args, ++i, arg).split(","))
                            .map(String::trim).filter(s -> !s.isEmpty()).toList();
                    case "--out" -> out = Path.of(value(args, ++i, arg));
                    case "--notes" -> notes = Path.of(value(args, ++i, arg));
                    case "--timeout-ms" -> {
                        String value = value(args, ++i, arg);
                        try {
                            timeout = Duration.ofMillis(Long.parseLong(value));
                        } catch (NumberFormatException e) {
                            throw new IllegalArgumentException("--timeout-ms needs a whole number of milliseconds, got '"
                                    + value + "'", e);
                        }
                        if (timeout.toMillis() < 1) {
                            throw new IllegalArgumentException("--timeout-ms must be at least 1, got " + value);
                        }
                    }
                    default -> throw new IllegalArgumentException("unknown option '" + arg + "'");
                }
            }
            if (servers.isEmpty()) {
                throw new IllegalArgumentException("--servers needs at least one server name");
            }
            return new Options(servers, out, notes, timeout, false);
        }

        private static String value(String[] args, int index, String option) {
            if (index >= args.length) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            return args[index];
        }
    }

    /** Runs the suite for every requested server, writes and prints the report; returns the exit status. */
    static int run(Options options, String[] args, PrintStream out, PrintStream err) {
        ServerConfig config = ServerConfig.defaults();
        String notes = readNotes(options.notes());
        List<ConformanceReport.ServerRun> runs = new ArrayList<>();
        for (String name : options.servers()) {
            err.println("conformance: " + name + " ...");
            ConformanceReport.ServerRun run = runOne(name, config, options.timeout(), err);
            err.println("conformance: " + name + (run.hasProblem() ? " had problems, see the report" : " done"));
            runs.add(run);
        }
        String report = ConformanceReport.document(facts(config, options, args),
                ConformanceCases.all(config.maxMessageBytes()), runs, notes);
        try {
            Path parent = options.out().toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Files.writeString(options.out(), report, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the report to " + options.out() + ": " + e.getMessage(), e);
        }
        out.print(report);
        err.println("conformance: report written to " + options.out());
        List<String> failed = runs.stream().filter(ConformanceReport.ServerRun::hasProblem)
                .map(ConformanceReport.ServerRun::server).toList();
        if (!failed.isEmpty()) {
            err.println("conformance: harness failure, failed start or a server that stopped serving for "
                    + String.join(", ", failed) + " (deviations alone are not failures)");
            return 1;
        }
        return 0;
    }

    /** The notes file's text, "" without one; read before any server runs so a wrong path fails at once. */
    private static String readNotes(Path notes) {
        if (notes == null) {
            return "";
        }
        try {
            return Files.readString(notes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the --notes file " + notes + ": " + e
                    + "; give an existing Markdown file or leave --notes out", e);
        }
    }

    private static ConformanceReport.ServerRun runOne(String name, ServerConfig config, Duration timeout,
            PrintStream err) {
        try (EchoServer server = EchoServers.create(name, config)) {
            URI uri = server.start();
            List<CaseResult> results = new ConformanceSuite(uri, timeout)
                    .run(ConformanceCases.all(config.maxMessageBytes()));
            return ConformanceReport.ServerRun.completed(name, results);
        } catch (RuntimeException e) {
            // Recorded in the report and reflected in the exit status; the stack trace helps debug it.
            e.printStackTrace(err);
            return ConformanceReport.ServerRun.failed(name, e.toString());
        }
    }

    private static Map<String, String> facts(ServerConfig config, Options options, String[] args) {
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("Date", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        facts.put("JVM", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version")
                + " (" + System.getProperty("java.vm.vendor") + ")");
        facts.put("OS", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch") + ", " + Runtime.getRuntime().availableProcessors() + " CPUs");
        facts.put("Libraries", LibraryVersions.servers().entrySet().stream()
                .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", ")));
        facts.put("Server settings", "`ServerConfig.defaults()`: maxMessageBytes " + config.maxMessageBytes()
                + ", serverThreads " + config.serverThreads() + ", compression " + (config.compression() ? "on" : "off")
                + ", transport " + config.transport());
        facts.put("Response timeout", options.timeout().toMillis() + " ms");
        facts.put("Command", "`java -cp " + relativeClassPath() + " " + ConformanceMain.class.getName()
                + (args.length == 0 ? "" : " " + String.join(" ", args)) + "`");
        return facts;
    }

    /** The class path with the working directory stripped, so the report shows no machine-specific paths. */
    private static String relativeClassPath() {
        Path cwd = Path.of("").toAbsolutePath();
        return Arrays.stream(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
                .map(entry -> {
                    Path path = Path.of(entry).toAbsolutePath().normalize();
                    return path.startsWith(cwd) ? cwd.relativize(path).toString() : entry;
                })
                .collect(Collectors.joining(java.io.File.pathSeparator));
    }
}
