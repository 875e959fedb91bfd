package io.wsbench.servers.python;

import io.wsbench.server.ServerStartException;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A Python 3 interpreter that can import what a server needs, found once per JVM and server kind.
 *
 * <p>{@code -Dwsbench.python=PATH} names the interpreter (with JMH: {@code -jvmArgsAppend -Dwsbench.python=PATH});
 * otherwise every {@code python3} on the {@code PATH} is tried in order, then {@code /usr/bin/python3}, where
 * Debian's packages install ({@code python3} first on the PATH may be a pyenv or venv interpreter without
 * them). Each candidate is asked to import the modules; the first that can is used. When none can, the
 * start fails at once with each candidate's answer and the apt-get command that installs the packages.
 */
public record PythonInterpreter(String executable, String versions) {

    /** System property naming the interpreter to use instead of searching. */
    public static final String PROPERTY = "wsbench.python";

    /** Installs everything both Python servers need, on Debian 12 (as root). */
    public static final String APT_GET_INSTALL = "apt-get install -y python3-fastapi python3-uvicorn python3-websockets"
            + " python3-uvloop python3-httptools python3-flask-socketio python3-eventlet";

    private static final String DEBIAN_PYTHON = "/usr/bin/python3";
    private static final int MAX_ANSWER_CHARS = 400;

    /**
     * Imports the modules (first argument, comma-separated), then prints one line: the Python version and the
     * version of each distribution (second argument) that is installed.
     */
    private static final String PROBE = String.join("\n",
            "import importlib, sys",
            "from importlib import metadata",
            "for module in sys.argv[1].split(','):",
            "    importlib.import_module(module)",
            "def version(dist):",
            "    try:",
            "        return metadata.version(dist)",
            "    except metadata.PackageNotFoundError:",
            "        return 'not installed'",
            "print('Python ' + sys.version.split()[0] + ''.join(', %s %s' % (d, version(d)) for d in sys.argv[2].split(',')))");

    private static final Map<String, PythonInterpreter> FOUND = new ConcurrentHashMap<>();

    /**
     * The interpreter for {@code server}, which needs {@code modules}; {@code distributions} are the packages whose
     * versions {@link #versions()} names.
     *
     * @throws ServerStartException naming every interpreter tried, what it said, and the apt-get command
     */
    public static PythonInterpreter find(String server, List<String> modules, List<String> distributions) {
        String chosen = System.getProperty(PROPERTY, "").trim();
        String key = chosen + "|" + String.join(",", modules) + "|" + String.join(",", distributions);
        PythonInterpreter cached = FOUND.get(key);
        if (cached != null) {
            return cached;
        }
        List<String> candidates = chosen.isEmpty() ? candidatesOnPath(System.getenv("PATH")) : List.of(chosen);
        List<String> answers = new ArrayList<>();
        for (String candidate : candidates) {
            ChildCommand.Result result = ChildCommand.run(List.of(candidate, "-c", PROBE, String.join(",", modules),
                    String.join(",", distributions)));
            if (result.exitCode() == 0 && result.output().startsWith("Python ")) {
                PythonInterpreter found = new PythonInterpreter(candidate, result.output().strip() + " (" + candidate + ")");
                FOUND.put(key, found);
                return found;
            }
            answers.add(candidate + ": " + lastLine(result.output(), result.exitCode()));
        }
        String tried = answers.isEmpty() ? "no python3 on the PATH and no " + DEBIAN_PYTHON : String.join("; ", answers);
        String where = chosen.isEmpty()
                ? "or point -D" + PROPERTY + "=PATH at an interpreter that has them"
                : "or point -D" + PROPERTY + " at an interpreter that has them (it is " + chosen + ")";
        throw new ServerStartException(server + " needs a Python 3 interpreter that can import " + String.join(", ", modules)
                + ", and none can (" + tried + "). Install the Debian packages, as root: " + APT_GET_INSTALL + " ; "
                + where + " (with JMH: -jvmArgsAppend -D" + PROPERTY + "=PATH)");
    }

    /** Every {@code python3} on {@code path}, in order, then Debian's, each once. */
    static List<String> candidatesOnPath(String path) {
        Set<String> candidates = new LinkedHashSet<>();
        if (path != null) {
            for (String dir : path.split(File.pathSeparator)) {
                Path python = Path.of(dir.isEmpty() ? "." : dir, "python3");
                if (Files.isExecutable(python)) {
                    candidates.add(python.toString());
                }
            }
        }
        if (Files.isExecutable(Path.of(DEBIAN_PYTHON))) {
            candidates.add(DEBIAN_PYTHON);
        }
        return List.copyOf(candidates);
    }

    /** The last non-blank line of what a candidate printed: the error, such as "No module named 'fastapi'". */
    private static String lastLine(String output, int exitCode) {
        String[] lines = output.strip().split("\\R");
        String last = lines.length == 0 || lines[lines.length - 1].isBlank() ? "exit code " + exitCode : lines[lines.length - 1].strip();
        return last.length() > MAX_ANSWER_CHARS ? last.substring(0, MAX_ANSWER_CHARS) + "..." : last;
    }

    /** The versions of each Python server's interpreter and packages, one line each: {@code java -cp benchmarks.jar io.wsbench.servers.python.PythonInterpreter}. */
    public static void main(String[] args) {
        for (ChildProcessServer server : List.<ChildProcessServer>of(new FastApiEchoServer(io.wsbench.server.ServerConfig.defaults()),
                new FlaskSocketIoEchoServer(io.wsbench.server.ServerConfig.defaults()))) {
            try {
                System.out.println(server.name() + ": " + server.interpreter().versions());
            } catch (ServerStartException e) {
                System.out.println(server.name() + ": " + e.getMessage());
            }
        }
    }
}
