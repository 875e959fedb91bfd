package io.wsbench.conformance;

import io.wsbench.conformance.cases.ConformanceCase;
import io.wsbench.conformance.cases.ConformanceCases;
import io.wsbench.server.EchoServer;
import io.wsbench.servers.EchoServers;
import io.wsbench.server.ServerConfig;
import io.wsbench.wire.RawWebSocketConnection;
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

            Runs the Autobahn-numbered conformance cases against each embedded echo server (sections 1-7 and 10 with
            ServerConfig.defaults(), 9 with a 16 MiB message limit, 12-13 with compression on), says once that the
            floors refuse the WebSocket upgrade, and writes a Markdown report and a self-contained HTML page.

            Options:
              --servers LIST     comma-separated servers to test (default: every WebSocket server this JVM runs;
                                 helidon, jetty-vt and tomcat-vt need Java 21+)
              --out FILE         where to write the Markdown report (default: results/conformance.md)
              --html FILE        where to write the HTML page (default: conformance.html beside --out)
              --notes FILE       Markdown put in the report under "Notes", e.g. results/conformance-notes.md
              --timeout-ms N     how long a server has after a case's last step before the client closes or drops
                                 the connection (default: 1000)
              --budget-s N       the whole run's time budget; cases not started by then are reported not run
                                 (default: 290)
              -h, --help         show this help
            """;

    /** The default --budget-s: the run must fit in 5 minutes here, with room to start and write. */
    static final Duration DEFAULT_BUDGET = Duration.ofSeconds(290);

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

    /** {@code notes} is null when no notes file was given; so is {@code html} until defaulted beside {@code out}. */
    record Options(List<String> servers, Path out, Path html, Path notes, Duration timeout, Duration budget,
            boolean help) {
        static Options parse(String[] args) {
            List<String> servers = EchoServers.webSocketNames().stream()
                    .filter(name -> EchoServers.unavailableReason(name).isEmpty()).toList();
            Path out = Path.of("results", "conformance.md");
            Path html = null;
            Path notes = null;
            Duration timeout = ConformanceSuite.DEFAULT_RESPONSE_TIMEOUT;
            Duration budget = DEFAULT_BUDGET;
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                switch (arg) {
                    case "-h", "--help" -> {
                        return new Options(servers, out, html, notes, timeout, budget, true);
                    }
                    case "--servers" -> servers = Arrays.stream(value(args, ++i, arg).split(","))
                            .map(String::trim).filter(s -> !s.isEmpty()).toList();
                    case "--out" -> out = Path.of(value(args, ++i, arg));
                    case "--html" -> html = Path.of(value(args, ++i, arg));
                    case "--notes" -> notes = Path.of(value(args, ++i, arg));
                    case "--budget-s" -> budget = Duration.ofSeconds(positive(value(args, ++i, arg), arg, "seconds"));
                    case "--timeout-ms" -> {
                        timeout = Duration.ofMillis(positive(value(args, ++i, arg), arg, "milliseconds"));
                    }
                    default -> throw new IllegalArgumentException("unknown option '" + arg + "'");
                }
            }
            if (servers.isEmpty()) {
                throw new IllegalArgumentException("--servers needs at least one server name");
            }
            Path htmlOut = html != null ? html : out.toAbsolutePath().resolveSibling("conformance.html");
            return new Options(servers, out, htmlOut, notes, timeout, budget, false);
        }

        private static long positive(String value, String option, String unit) {
            long n;
            try {
                n = Long.parseLong(value);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(option + " needs a whole number of " + unit + ", got '" + value + "'", e);
            }
            if (n < 1) {
                throw new IllegalArgumentException(option + " must be at least 1, got " + value);
            }
            return n;
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
        long started = System.nanoTime();
        long deadline = started + options.budget().toNanos();
        String floors = floorsRefusal(config, options.timeout());
        List<ConformanceReport.ServerRun> runs = new ArrayList<>();
        for (String name : options.servers()) {
            err.println("conformance: " + name + " ...");
            ConformanceReport.ServerRun run = runOne(name, config, options.timeout(), deadline, err);
            err.println("conformance: " + name + (run.hasProblem() ? " had problems, see the report" : " done")
                    + " (" + Duration.ofNanos(System.nanoTime() - started).toSeconds() + " s into the run)");
            runs.add(run);
        }
        Map<String, String> facts = facts(config, options, args);
        facts.put("Floors", floors);
        facts.put("Run time", Duration.ofNanos(System.nanoTime() - started).toSeconds() + " s of a "
                + options.budget().toSeconds() + " s budget");
        String report = ConformanceReport.document(facts, runs, notes);
        write(options.out(), report);
        write(options.html(), ConformanceHtml.page(facts, runs));
        out.print(report);
        err.println("conformance: report written to " + options.out() + " and " + options.html());
        List<String> failed = runs.stream().filter(ConformanceReport.ServerRun::hasProblem)
                .map(ConformanceReport.ServerRun::server).toList();
        if (!failed.isEmpty()) {
            err.println("conformance: harness failure, failed start, a server that stopped serving or a spent budget"
                    + " for " + String.join(", ", failed) + " (deviations alone are not failures)");
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

    private static void write(Path file, String text) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** One sentence for the report: each floor started and its answer to a WebSocket upgrade (a refusal). */
    static String floorsRefusal(ServerConfig config, Duration timeout) {
        List<String> answers = new ArrayList<>();
        for (String floor : EchoServers.names()) {
            if (!EchoServers.isFloor(floor)) {
                continue;
            }
            try (EchoServer server = EchoServers.create(floor, config)) {
                URI uri = server.start();
                URI ws = URI.create("ws://" + uri.getHost() + ":" + uri.getPort() + config.path());
                try (RawWebSocketConnection connection = RawWebSocketConnection.open(ws, timeout)) {
                    answers.add(floor + " ACCEPTED the upgrade, which a raw TCP echo must not");
                } catch (IOException refused) {
                    answers.add(floor + " refuses the upgrade (" + refused.getMessage() + ")");
                }
            } catch (RuntimeException e) {
                answers.add(floor + " did not start: " + e);
            }
        }
        return String.join("; ", answers) + "; they are raw TCP echoes and no case runs on them";
    }

    /**
     * The three configurations of one server: the defaults (sections 1-7, 10 and ws), a 16 MiB limit (section 9)
     * and compression on (12-13), each a fresh server.
     */
    private static ConformanceReport.ServerRun runOne(String name, ServerConfig config, Duration timeout, long deadline,
            PrintStream err) {
        List<CaseResult> results = new ArrayList<>();
        try {
            results.addAll(runCases(name, config, ConformanceCases.all(config.maxMessageBytes()), timeout, deadline));
            results.addAll(runCases(name, config.withMaxMessageBytes(ConformanceCases.LARGEST_TIMED_MESSAGE),
                    ConformanceCases.timed(), timeout, deadline));
            results.addAll(runCases(name, config.withCompression(true), ConformanceCases.deflate(), timeout, deadline));
            return ConformanceReport.ServerRun.completed(name, results);
        } catch (RuntimeException e) {
            // Recorded in the report and reflected in the exit status; the stack trace helps debug it.
            e.printStackTrace(err);
            return ConformanceReport.ServerRun.failed(name, e.toString());
        }
    }

    private static List<CaseResult> runCases(String name, ServerConfig config, List<ConformanceCase> cases,
            Duration timeout, long deadline) {
        if (System.nanoTime() - deadline > 0) {
            return cases.stream().map(c -> CaseResult.notRun(c, "the run's time budget was spent")).toList();
        }
        try (EchoServer server = EchoServers.create(name, config)) {
            URI uri = server.start();
            return new ConformanceSuite(uri, timeout, Math.max(config.maxMessageBytes(), ConformanceCases.LARGEST_TIMED_MESSAGE))
                    .run(cases, deadline);
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
        facts.put("Server settings", "`ServerConfig.defaults()` (maxMessageBytes " + config.maxMessageBytes()
                + ", serverThreads " + config.serverThreads() + ", transport " + config.transport()
                + "); section 9 with maxMessageBytes " + ConformanceCases.LARGEST_TIMED_MESSAGE
                + ", sections 12-13 with compression on");
        facts.put("Response timeout", options.timeout().toMillis() + " ms after a case's last step");
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
