package io.wsbench.server;

import java.net.BindException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Set;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Small pieces shared by the embedded WebSocket servers: their URI, their start errors, their log level. */
public final class EmbeddedServerSupport {

    /** How deep a cause chain is searched for the underlying bind error. */
    private static final int MAX_CAUSE_DEPTH = 32;

    private EmbeddedServerSupport() {
    }

    /** Refuses {@code settings()} on a server that is not running: there is nothing live to read. */
    public static void requireStarted(boolean running, String serverName) {
        if (!running) {
            throw new IllegalStateException(serverName + " is not running: its settings are read from the live server,"
                    + " so call start() first");
        }
    }

    private static final String CARRIER_CLASS = "jdk.internal.misc.CarrierThread";

    /**
     * The JDK's own platform threads that do a virtual thread's socket I/O and timed waits: the pollers ({@code
     * Read-Poller} and {@code Write-Poller} on JDK 21, {@code MasterPoller} from JDK 22 on, whose read and write
     * pollers are virtual threads on the carriers) and the unparker and unblocker of parked virtual threads.
     */
    private static final Set<String> VIRTUAL_THREAD_IO_THREADS = Set.of("Read-Poller", "Write-Poller", "MasterPoller",
            "VirtualThread-unparker", "VirtualThread-unblocker");

    /**
     * Whether {@code thread} runs the JVM's virtual threads (Java 21+): a carrier (the CPU time of virtual threads is
     * counted on their carriers) or one of the JDK's poller and unparker threads that wake them when their socket is
     * ready. A server on virtual threads owns them in a benchmark JVM, where nothing else runs virtual threads (the
     * client does not), so they are counted as its CPU and pinned with its threads.
     */
    public static boolean isVirtualThreadMachinery(Thread thread) {
        return thread.getClass().getName().equals(CARRIER_CLASS) || VIRTUAL_THREAD_IO_THREADS.contains(thread.getName());
    }

    /** The JVM-wide number of carrier threads for virtual threads, read once when the JVM starts its first one. */
    public static final String VIRTUAL_THREAD_PARALLELISM = "jdk.virtualThreadScheduler.parallelism";

    /**
     * How many carrier threads the JVM runs virtual threads on, read from a live carrier's pool when one runs;
     * before any does, what the JVM will use: {@value #VIRTUAL_THREAD_PARALLELISM}, by default one per core.
     */
    public static int virtualThreadCarriers() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getClass().getName().equals(CARRIER_CLASS))
                .map(carrier -> ((ForkJoinWorkerThread) carrier).getPool().getParallelism())
                .findFirst()
                .orElseGet(() -> Integer.getInteger(VIRTUAL_THREAD_PARALLELISM, Runtime.getRuntime().availableProcessors()));
    }

    /**
     * The equal-resources rule for a server on virtual threads: {@code serverThreads} carriers, unless the JVM was
     * started with {@code -D}{@value #VIRTUAL_THREAD_PARALLELISM} (the user's choice wins) — effective only before
     * this JVM's first virtual thread, so the benchmark JVM calls it before it creates such a server, and the
     * server's settings then show the live count.
     */
    public static void sizeVirtualThreadCarriers(int serverThreads) {
        if (System.getProperty(VIRTUAL_THREAD_PARALLELISM) == null) {
            System.setProperty(VIRTUAL_THREAD_PARALLELISM, Integer.toString(serverThreads));
        }
    }

    /** How many live threads of this JVM {@code owned} accepts. */
    public static int liveThreads(java.util.function.Predicate<Thread> owned) {
        return (int) Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).filter(owned).count();
    }

    /** {@code ws://HOST:PORT/PATH} ({@code wss://} with TLS) for the port actually bound; IPv6 hosts get their brackets. */
    public static URI webSocketUri(ServerConfig config, int boundPort) {
        try {
            return new URI(config.webSocketScheme(), null, config.host(), boundPort, config.path(), null, null);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("cannot form a WebSocket URI from host '" + config.host() + "' and path '"
                    + config.path() + "': " + e.getMessage() + "; use a plain host name or IP address", e);
        }
    }

    /**
     * Turns a start failure into a {@link ServerStartException} that names the address and the fix, keeping the
     * original as cause, in the words the Netty-based servers use: "jetty could not bind 127.0.0.1:8080: port 8080 is
     * already in use; stop whatever listens there, pick another port, or use port 0 for an ephemeral one".
     */
    public static ServerStartException startFailure(String serverName, ServerConfig config, Throwable failure) {
        String address = config.host() + ":" + config.port();
        BindException bindFailure = findBindException(failure);
        if (bindFailure == null) {
            return new ServerStartException(serverName + " failed to start on " + address + ": " + failure
                    + "; see the cause below", failure);
        }
        String detail = String.valueOf(bindFailure.getMessage());
        String reason = detail.contains("in use")
                ? "port " + config.port() + " is already in use; stop whatever listens there, pick another port, or use"
                        + " port 0 for an ephemeral one"
                : detail + "; check that " + config.host() + " is an address of this machine";
        return new ServerStartException(serverName + " could not bind " + address + ": " + reason, failure);
    }

    private static BindException findBindException(Throwable failure) {
        Throwable current = failure;
        for (int depth = 0; current != null && depth < MAX_CAUSE_DEPTH; depth++) {
            if (current instanceof BindException bind) {
                return bind;
            }
            current = current.getCause();
        }
        return null;
    }

    /**
     * Raises a library's java.util.logging logger to WARNING so its per-start INFO lines stay out of benchmark
     * output, unless a logging configuration already chose a level for it. The caller must keep the returned
     * logger in a field: java.util.logging holds loggers weakly and would forget the level.
     */
    public static Logger quietUnlessConfigured(String loggerName) {
        Logger logger = Logger.getLogger(loggerName);
        if (logger.getLevel() == null) {
            logger.setLevel(Level.WARNING);
        }
        return logger;
    }
}
