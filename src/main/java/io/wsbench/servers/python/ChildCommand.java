package io.wsbench.servers.python;

import io.wsbench.server.ChildOutput;
import io.wsbench.server.ProcessTree;
import java.io.File;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a short command (an interpreter probe) to its end, bounded in time and in the output kept. */
final class ChildCommand {
    static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final int TAIL_LINES = 20;
    private static final Duration STOP_GRACE = Duration.ofSeconds(2);

    /** The exit code (-1 when the command could not run or did not end in time) and the last lines it printed. */
    record Result(int exitCode, String output) {
    }

    private ChildCommand() {
    }

    static Result run(List<String> command) {
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        } catch (IOException e) {
            return new Result(-1, "cannot run it: " + e.getMessage());
        }
        ChildOutput output = new ChildOutput(process.getInputStream(), null, 0, TAIL_LINES, null).start("wsbench-probe");
        try {
            if (!process.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                ProcessTree.stop(process.toHandle(), STOP_GRACE);
                return new Result(-1, "no answer within " + TIMEOUT.toSeconds() + " s");
            }
        } catch (InterruptedException e) {
            ProcessTree.stop(process.toHandle(), STOP_GRACE);
            Thread.currentThread().interrupt();
            return new Result(-1, "interrupted while waiting for it");
        }
        output.awaitEnd(STOP_GRACE);
        return new Result(process.exitValue(), String.join("\n", output.tail()));
    }
}
