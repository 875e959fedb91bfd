package io.wsbench.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a child process's output (stdout and stderr merged) on its own daemon thread until the child closes it:
 * copies it into a log file of at most {@code maxLogBytes} (the rest is counted, not kept), remembers the last
 * lines for error messages, and completes {@link #firstMatch()} with the first line matching a pattern (the
 * line in which a server names its port). Lines longer than {@value #MAX_LINE_CHARS} characters are split, so
 * memory stays bounded whatever the child prints. Public for {@code ForkedJvmServer}, which logs its child JVM's
 * stderr with it.
 */
public final class ChildOutput implements Runnable {
    static final int MAX_LINE_CHARS = 8192;

    private final InputStream in;
    private final Path logFile;
    private final long maxLogBytes;
    private final int tailLines;
    private final Pattern pattern;
    private final ArrayDeque<String> tail = new ArrayDeque<>();
    private final CompletableFuture<Matcher> firstMatch = new CompletableFuture<>();
    private final CompletableFuture<Void> finished = new CompletableFuture<>();
    private long droppedBytes;

    /**
     * @param logFile where the output goes, or null to keep only the last lines
     * @param pattern the line to wait for, or null
     */
    public ChildOutput(InputStream in, Path logFile, long maxLogBytes, int tailLines, Pattern pattern) {
        this.in = in;
        this.logFile = logFile;
        this.maxLogBytes = maxLogBytes;
        this.tailLines = tailLines;
        this.pattern = pattern;
    }

    /** Starts reading on a daemon thread named {@code threadName}. */
    public ChildOutput start(String threadName) {
        Thread reader = new Thread(this, threadName);
        reader.setDaemon(true);
        reader.start();
        return this;
    }

    /** Completes with the first matching line's matcher; exceptionally if the output ends without one. */
    public CompletableFuture<Matcher> firstMatch() {
        return firstMatch;
    }

    /** Waits at most {@code timeout} until the child has closed its output and everything is in the log. */
    public boolean awaitEnd(Duration timeout) {
        try {
            finished.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (java.util.concurrent.TimeoutException e) {
            return false;
        } catch (java.util.concurrent.ExecutionException e) {
            throw new UncheckedIOException("reading the output of a child process failed", asIo(e.getCause()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The last lines read so far, oldest first. */
    public synchronized List<String> tail() {
        return List.copyOf(tail);
    }

    /** The last lines as one indented block for an error message, or "(no output)". */
    public String tailText() {
        List<String> lines = tail();
        return lines.isEmpty() ? "(no output)" : "    " + String.join("\n    ", lines);
    }

    public Path logFile() {
        return logFile;
    }

    @Override
    public void run() {
        try (Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8);
                Writer log = logFile == null ? Writer.nullWriter() : Files.newBufferedWriter(logFile, StandardCharsets.UTF_8)) {
            char[] buffer = new char[4096];
            StringBuilder line = new StringBuilder();
            long written = 0;
            int n;
            while ((n = reader.read(buffer)) >= 0) {
                for (int i = 0; i < n; i++) {
                    char c = buffer[i];
                    if (c == '\n' || line.length() >= MAX_LINE_CHARS) {
                        written = line(line.toString(), log, written);
                        line.setLength(0);
                        if (c == '\n') {
                            continue;
                        }
                    }
                    if (c != '\r') {
                        line.append(c);
                    }
                }
                log.flush();
            }
            if (line.length() > 0) {
                written = line(line.toString(), log, written);
            }
            if (droppedBytes > 0) {
                log.write("[wsbench: log truncated at " + maxLogBytes + " bytes; " + droppedBytes + " more bytes of output dropped]\n");
            }
            firstMatch.completeExceptionally(new IllegalStateException("the output ended without a line matching " + pattern));
            finished.complete(null);
        } catch (IOException | RuntimeException e) {
            firstMatch.completeExceptionally(e);
            finished.completeExceptionally(e);
        }
    }

    private long line(String text, Writer log, long written) throws IOException {
        synchronized (this) {
            tail.addLast(text);
            while (tail.size() > tailLines) {
                tail.removeFirst();
            }
        }
        long bytes = text.getBytes(StandardCharsets.UTF_8).length + 1L;
        long total = written;
        if (written + bytes <= maxLogBytes) {
            log.write(text);
            log.write('\n');
            total += bytes;
        } else {
            droppedBytes += bytes;
        }
        if (pattern != null && !firstMatch.isDone()) {
            Matcher matcher = pattern.matcher(text);
            if (matcher.find()) {
                firstMatch.complete(matcher);
            }
        }
        return total;
    }

    private static IOException asIo(Throwable t) {
        return t instanceof IOException io ? io : new IOException(t);
    }
}
