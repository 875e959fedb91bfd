package io.wsbench.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Starting this project's mains in their own JVM, on the test classpath (no benchmarks.jar needed), and stopping them. */
public final class JavaProcess {
    private JavaProcess() {
    }

    /** {@code java -cp <test classpath> mainClass args...}, with this JVM's java. */
    public static List<String> command(String mainClass, String... args) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // A test's JMH child needs no machine-wide JMH lock: it measures nothing, and a real run may hold it.
                "-Djmh.ignoreLock=true", "-cp", System.getProperty("java.class.path"), mainClass));
        command.addAll(List.of(args));
        return command;
    }

    /** The first line the process prints, waiting at most {@code timeoutSeconds}. */
    public static String firstLine(Process process, int timeoutSeconds)
            throws InterruptedException, ExecutionException, TimeoutException {
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<String> line = CompletableFuture.supplyAsync(() -> {
            try {
                return out.readLine();
            } catch (IOException e) {
                throw new IllegalStateException("could not read the output of " + process.info().command().orElse("the process"), e);
            }
        });
        String first = line.get(timeoutSeconds, TimeUnit.SECONDS);
        if (first == null) {
            boolean exited = process.waitFor(timeoutSeconds, TimeUnit.SECONDS);
            throw new IllegalStateException(exited ? "process exited (code " + process.exitValue() + ") without printing anything"
                    : "process closed its output without printing anything and did not exit within " + timeoutSeconds + " s");
        }
        return first;
    }

    /** SIGTERM (what Ctrl-C's SIGINT also triggers: the shutdown hooks), then SIGKILL if it is still there after 20 s. */
    public static void stop(Process process) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }
}
