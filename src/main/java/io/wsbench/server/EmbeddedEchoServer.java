package io.wsbench.server;

import java.io.UncheckedIOException;
import java.net.URI;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * What every echo server inside this JVM does the same way, so that each server class keeps only its library's code
 * (the counterpart of {@code servers.python.ChildProcessServer} for servers in a child process):
 * <ul>
 *   <li>one start per instance: a second {@link #start()} is refused, also after {@link #close()};
 *   <li>a failed start releases what it took (it runs {@link #stop}) before its error is thrown, naming the address
 *       and the fix ({@link EmbeddedServerSupport#startFailure});
 *   <li>{@link #settings()} only while running, read from the live server;
 *   <li>{@link #close()} idempotent: {@link #stop} once, the tasks of a virtual-thread executor the server was given
 *       awaited, then every thread of the server's {@link ServerThreads} group joined;
 *   <li>thread ownership by that group, plus the JVM's virtual-thread machinery for a server on virtual threads.
 * </ul>
 * A subclass implements {@link #serve} (start its library, return the URI), {@link #readSettings} and {@link #stop},
 * which must cope with a start that failed half-way (fields still null).
 */
public abstract class EmbeddedEchoServer implements EchoServer {

    private enum State { NEW, STARTING, RUNNING, CLOSED }

    protected final ServerConfig config;
    private final String name;
    /** The executor the server runs its tasks on when it was given one (one virtual thread per task); or null. */
    private final ExecutorService virtualThreads;
    private State state = State.NEW;
    /** Set by start(); volatile because ownsThread() is called from other threads without the lock. */
    private volatile ServerThreads threads;

    protected EmbeddedEchoServer(String name, ServerConfig config) {
        this(name, config, null);
    }

    /**
     * A server whose library runs its tasks on {@code virtualThreads} (jetty-vt, tomcat-vt): its carriers count as
     * the server's threads, and close() shuts it down and waits for its tasks, so it must be an executor that tracks
     * them.
     */
    protected EmbeddedEchoServer(String name, ServerConfig config, ExecutorService virtualThreads) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a server needs a name (its -p server= value), got '" + name + "'");
        }
        if (config == null) {
            throw new IllegalArgumentException(name + " needs a ServerConfig, got null");
        }
        this.name = name;
        this.config = config;
        this.virtualThreads = virtualThreads;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final synchronized URI start() {
        if (state != State.NEW) {
            throw new IllegalStateException(name + " echo server already started; create a new instance per run");
        }
        state = State.STARTING;
        threads = new ServerThreads(name);
        URI uri;
        try {
            uri = serve(threads);
        } catch (ServerStartException e) {
            throw releasedAfter(e);
        } catch (Exception e) {
            throw releasedAfter(EmbeddedServerSupport.startFailure(name, config, e));
        }
        state = State.RUNNING;
        return uri;
    }

    /** {@code failure}, after close() released what the failed start took; a cleanup failure is kept as suppressed. */
    private ServerStartException releasedAfter(ServerStartException failure) {
        try {
            close();
        } catch (IllegalStateException | UncheckedIOException cleanupFailure) {
            failure.addSuppressed(cleanupFailure);
        }
        return failure;
    }

    /**
     * Starts the library and binds {@link ServerConfig#host()}:{@link ServerConfig#port()}. Threads the library
     * creates should land in {@code threads}' group (give it the group, or start it with {@link
     * ServerThreads#callInGroup}), so that close() can join them.
     *
     * @return the URI clients connect to, with the port actually bound
     */
    protected abstract URI serve(ServerThreads threads) throws Exception;

    @Override
    public final synchronized ServerSettings settings() {
        EmbeddedServerSupport.requireStarted(state == State.RUNNING, name);
        return readSettings(threads);
    }

    /** The settings read from the running server; called only between a successful start and close. */
    protected abstract ServerSettings readSettings(ServerThreads threads);

    /** The threads of this server's group; for a server on virtual threads also the JVM's carriers and pollers. */
    @Override
    public boolean ownsThread(Thread thread) {
        ServerThreads current = threads;
        return current != null && (current.contains(thread)
                || runsOnVirtualThreads() && EmbeddedServerSupport.isVirtualThreadMachinery(thread));
    }

    /**
     * Whether this server's connections run on virtual threads, whose carriers are then counted as its own: when it
     * was given a virtual-thread executor; a library that makes its own virtual threads says so.
     */
    protected boolean runsOnVirtualThreads() {
        return virtualThreads != null;
    }

    @Override
    public final synchronized void close() {
        if (state == State.NEW || state == State.CLOSED) {
            return;
        }
        state = State.CLOSED;
        ServerThreads stopping = threads;
        stopping.stopAndJoin(() -> {
            try {
                stop(stopping);
            } finally {
                if (virtualThreads != null) {
                    awaitTermination(virtualThreads);
                }
            }
        }, this::leftRunningByLibrary);
    }

    /**
     * Stops the library: closes the listener and every connection. Called once, from close(), also after a failed
     * start, so whatever the start did not get to is still null.
     */
    protected abstract void stop(ServerThreads threads) throws Exception;

    /**
     * Threads the library is known to leave running after it stopped, which close() does not wait for (the
     * subclass's comment names them and the teardown tests assert exactly those); none by default.
     */
    protected boolean leftRunningByLibrary(Thread thread) {
        return false;
    }

    /** Shuts {@code executor} down and waits, bounded by {@link ServerThreads#TIMEOUT}, for its tasks to end. */
    private void awaitTermination(ExecutorService executor) throws InterruptedException {
        executor.shutdown();
        if (!executor.awaitTermination(ServerThreads.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException(name + " virtual-thread tasks still running "
                    + ServerThreads.TIMEOUT.toSeconds() + " s after stop");
        }
    }
}
