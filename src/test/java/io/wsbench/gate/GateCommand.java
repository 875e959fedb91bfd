package io.wsbench.gate;

import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** What the gate's command-line tests share: a folder for their JMH files, and a run of a command with its output kept. */
abstract class GateCommand {

    @TempDir
    Path dir;

    /** The last run's standard output and error. */
    String stdout;
    String stderr;

    /** Runs {@code scripts/gate ARGS} in this JVM ({@link Gate#run}) and returns its exit status. */
    int run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Gate.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        stdout = out.toString(StandardCharsets.UTF_8);
        stderr = err.toString(StandardCharsets.UTF_8);
        return exit;
    }

    int compare(Path base, Path cur) {
        return run("compare", "--baseline", base.toString(), "--current", cur.toString());
    }
}
