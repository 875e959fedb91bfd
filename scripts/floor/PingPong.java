import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The physical floor, measured apart from the suite: a plain blocking-socket ping-pong over loopback in one JVM, one
 * connection, TCP_NODELAY, fixed-size messages, every reply compared with what was sent. No JMH, no Netty, nothing of
 * wsbench: the suite's own floors ({@code server=socket}, {@code server=rawtcp}) are read against this number.
 *
 * <p>Why placements: a loopback round trip is dominated by two thread hand-offs (client to echo, echo to client), and
 * what a hand-off costs depends on where the two threads run. On one CPU ({@code shared}) each hand-off is a context
 * switch on that CPU; on two CPUs ({@code split}) each is a cross-core wake-up (an inter-processor interrupt, maybe an
 * idle-state exit); unpinned ({@code none}) the scheduler picks, run by run. A suite benchmark pinned one way must be
 * read against the floor measured the same way, so the harness cost can be read off per placement.
 *
 * <p>Run: {@code java scripts/floor/PingPong.java [payloadBytes=64] [seconds=5] [warmupSeconds=3] [runs=3]
 * [placement=all]}, placement one of
 * <ul>
 * <li>{@code shared} or {@code shared:N}: client and echo thread both pinned to one CPU (default the first allowed),
 * <li>{@code split} or {@code split:A/B}: client on CPU A, echo on CPU B (default the first two allowed),
 * <li>{@code none}: unpinned (both threads may run on every CPU this process is allowed),
 * <li>{@code all}: shared, split and none in turn, in this one process.
 * </ul>
 * Each placement gets a fresh echo thread, a fresh client thread and a fresh connection, and its own warm-up; it prints
 * round trips per second and the p50/p99 of every round trip of each run, then the median run per placement, and with
 * {@code all} the cross-core wake-up cost derived from shared and split.
 *
 * <p>How pinning works, without JNA: a thread finds its own Linux thread id from the link {@code /proc/thread-self}
 * ({@code PID/task/TID}), runs {@code taskset -p -c CPU TID} (util-linux) on itself, and reads back
 * {@code Cpus_allowed_list} of {@code /proc/thread-self/status}; that read-back is what every output line shows. The
 * allowed CPUs are read from {@code /proc/self/status} at start, before anything is pinned. The main thread never pins
 * itself: a Linux thread inherits the affinity of the thread that creates it, and every measuring thread is created by
 * main, so {@code none} after {@code shared} or {@code split} really is unpinned (and is checked, and reset to the full
 * allowed list should it not be). Pinning needs Linux; {@code none} runs anywhere.
 */
public final class PingPong {
    private static final String USAGE =
            "usage: java scripts/floor/PingPong.java [payloadBytes=64] [seconds=5] [warmupSeconds=3] [runs=3] [placement=all]"
                    + " (placement: shared, shared:N, split, split:A/B, none, all)";
    private static final Path THREAD_SELF = Path.of("/proc/thread-self");
    private static final Path SELF_STATUS = Path.of("/proc/self/status");
    private static final long TASKSET_TIMEOUT_SECONDS = 5;
    /** Accept and read timeout of both ends; a healthy loopback answers in microseconds. */
    private static final int SOCKET_TIMEOUT_MILLIS = 30_000;
    private static final long THREAD_START_TIMEOUT_MILLIS = 15_000;

    /** A usage or environment error, reported as one line without a stack trace. */
    private static final class Failure extends RuntimeException {
        Failure(String message) {
            super(message);
        }
    }

    /** One placement to measure; a null CPU means unpinned. */
    private record Placement(String name, Integer clientCpu, Integer echoCpu) {
    }

    private record Result(Placement placement, String where, double medianRate) {
    }

    public static void main(String[] args) throws Exception {
        try {
            measureAll(args);
        } catch (Failure e) {
            System.err.println("PingPong: " + e.getMessage());
            System.exit(1);
        }
    }

    private static void measureAll(String[] args) throws Exception {
        if (args.length > 5) {
            throw new Failure("too many arguments; " + USAGE);
        }
        int payloadBytes = args.length > 0 ? parseInt(args[0], "payloadBytes") : 64;
        double seconds = args.length > 1 ? parseDouble(args[1], "seconds") : 5;
        double warmupSeconds = args.length > 2 ? parseDouble(args[2], "warmupSeconds") : 3;
        int runs = args.length > 3 ? parseInt(args[3], "runs") : 3;
        String placementArg = args.length > 4 ? args[4] : "all";
        if (payloadBytes < 1 || seconds <= 0 || warmupSeconds < 0 || runs < 1) {
            throw new Failure("need payloadBytes >= 1, seconds > 0, warmupSeconds >= 0, runs >= 1; " + USAGE);
        }
        // Read before anything is pinned (and nothing ever pins the main thread or the process leader anyway).
        boolean linux = Files.exists(THREAD_SELF);
        String allowed = linux ? statusField(SELF_STATUS, "Cpus_allowed_list") : null;
        List<Placement> placements = placements(placementArg, linux, allowed);

        List<Result> results = new ArrayList<>();
        for (Placement placement : placements) {
            results.add(measure(placement, allowed, payloadBytes, seconds, warmupSeconds, runs));
        }
        Result shared = null;
        Result split = null;
        for (Result result : results) {
            System.out.printf(Locale.ROOT, "median %s: %.0f round trips/s (%s, java %s)%n", result.placement().name(),
                    result.medianRate(), result.where(), System.getProperty("java.version"));
            if (result.placement().name().equals("shared")) {
                shared = result;
            } else if (result.placement().name().equals("split")) {
                split = result;
            }
        }
        if (shared != null && split != null) {
            // A round trip is two hand-offs: client -> echo (the request wakes the echo thread) and echo -> client (the
            // reply wakes the client). In split both are wake-ups of a thread on the other CPU; in shared both are
            // switches on the one CPU. So the difference of the two round-trip times, halved, is what one cross-core
            // wake-up costs beyond a same-CPU hand-off (negative when crossing cores is the cheaper of the two).
            double perWakeUpMicros = (1 / split.medianRate() - 1 / shared.medianRate()) / 2 * 1e6;
            System.out.printf(Locale.ROOT, "cross-core wake-up cost %s (1/split - 1/shared)/2 = %.2f us per wake-up"
                            + " (beyond a same-CPU hand-off; two wake-ups per round trip)%n", approx(), perWakeUpMicros);
        }
    }

    /** The placements an argument names, CPUs resolved and checked against the allowed ones before anything runs. */
    private static List<Placement> placements(String arg, boolean linux, String allowed) {
        String name = arg.contains(":") ? arg.substring(0, arg.indexOf(':')) : arg;
        String cpus = arg.contains(":") ? arg.substring(arg.indexOf(':') + 1) : null;
        if (!List.of("shared", "split", "none", "all").contains(name) || (cpus != null && !name.equals("shared")
                && !name.equals("split"))) {
            throw new Failure("unknown placement '" + arg + "'; " + USAGE);
        }
        if (name.equals("none")) {
            return List.of(new Placement("none", null, null));
        }
        if (!linux) {
            throw new Failure("placement " + arg + " pins threads, which needs Linux (" + THREAD_SELF + " not found: not"
                    + " Linux, or a kernel older than 3.17); use placement none here");
        }
        List<Integer> allowedCpus = new ArrayList<>(parseCpuList(allowed));
        List<Placement> placements = new ArrayList<>();
        if (name.equals("shared") || name.equals("all")) {
            int cpu = cpus == null ? allowedCpus.get(0) : allowedCpu(cpus, arg, allowedCpus, allowed);
            placements.add(new Placement("shared", cpu, cpu));
        }
        if (name.equals("split") || name.equals("all")) {
            int clientCpu;
            int echoCpu;
            if (cpus == null) {
                if (allowedCpus.size() < 2) {
                    throw new Failure("placement " + (name.equals("all") ? "all includes split, which" : "split")
                            + " needs two CPUs, but this process may run only on CPU " + allowed + " (Cpus_allowed_list"
                            + " of " + SELF_STATUS + "); allow two CPUs (e.g. taskset -c 0,1 java ..., or a container with"
                            + " two CPUs in its cpuset) or use placement shared" + (name.equals("all") ? " or none" : ""));
                }
                clientCpu = allowedCpus.get(0);
                echoCpu = allowedCpus.get(1);
            } else {
                String[] pair = cpus.split("/", -1);
                if (pair.length != 2) {
                    throw new Failure("placement " + arg + ": write split:A/B, client on CPU A, echo on CPU B");
                }
                clientCpu = allowedCpu(pair[0], arg, allowedCpus, allowed);
                echoCpu = allowedCpu(pair[1], arg, allowedCpus, allowed);
                if (clientCpu == echoCpu) {
                    throw new Failure("placement " + arg + " names one CPU twice; split needs two different CPUs (one"
                            + " CPU for both is placement shared:" + clientCpu + ")");
                }
            }
            placements.add(new Placement("split", clientCpu, echoCpu));
        }
        if (name.equals("all")) {
            placements.add(new Placement("none", null, null));
        }
        return placements;
    }

    private static int allowedCpu(String text, String arg, List<Integer> allowedCpus, String allowed) {
        int cpu;
        try {
            cpu = Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw new Failure("placement " + arg + ": '" + text + "' is not a CPU number");
        }
        if (!allowedCpus.contains(cpu)) {
            throw new Failure("placement " + arg + ": CPU " + cpu + " is not allowed for this process; allowed CPUs: "
                    + allowed + " (Cpus_allowed_list of " + SELF_STATUS + ")");
        }
        return cpu;
    }

    /** One placement: fresh echo thread, fresh client thread, fresh connection, own warm-up; returns the median rate. */
    private static Result measure(Placement placement, String allowed, int payloadBytes, double seconds,
            double warmupSeconds, int runs) throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            listener.setSoTimeout(SOCKET_TIMEOUT_MILLIS);
            CountDownLatch echoPlaced = new CountDownLatch(1);
            AtomicReference<String> echoCpus = new AtomicReference<>();
            AtomicReference<Throwable> echoError = new AtomicReference<>();
            Thread echo = new Thread(() -> {
                try {
                    echoCpus.set(place(placement.echoCpu(), allowed, "echo"));
                } catch (Throwable e) {
                    echoError.set(e);
                    return;
                } finally {
                    echoPlaced.countDown();
                }
                try {
                    echo(listener, payloadBytes);
                } catch (Throwable e) {
                    echoError.set(e);
                }
            }, "pingpong-echo-" + placement.name());
            echo.setDaemon(true);
            echo.start();
            if (!echoPlaced.await(THREAD_START_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)) {
                throw new Failure(placement.name() + ": the echo thread did not get placed within "
                        + THREAD_START_TIMEOUT_MILLIS / 1000 + " s");
            }
            rethrow(echoError.get(), placement.name() + ": echo thread");

            AtomicReference<String> where = new AtomicReference<>();
            AtomicReference<Double> median = new AtomicReference<>();
            AtomicReference<Throwable> clientError = new AtomicReference<>();
            Thread client = new Thread(() -> {
                try {
                    String clientCpus = place(placement.clientCpu(), allowed, "client");
                    where.set("client " + cpus(clientCpus) + ", echo " + cpus(echoCpus.get()));
                    median.set(client(listener.getLocalPort(), placement.name() + " (" + where.get() + ")", payloadBytes,
                            seconds, warmupSeconds, runs));
                } catch (Throwable e) {
                    clientError.set(e);
                }
            }, "pingpong-client-" + placement.name());
            client.setDaemon(true);
            client.start();
            long clientTimeoutMillis = (long) ((warmupSeconds + runs * seconds) * 1000) + 60_000;
            client.join(clientTimeoutMillis);
            if (client.isAlive()) {
                throw new Failure(placement.name() + ": the client thread did not finish within " + clientTimeoutMillis / 1000
                        + " s");
            }
            rethrow(clientError.get(), placement.name() + ": client thread");
            // The client closed its end, so the echo thread reads end-of-stream and ends.
            echo.join(SOCKET_TIMEOUT_MILLIS + 5_000);
            if (echo.isAlive()) {
                throw new Failure(placement.name() + ": the echo thread did not end after the client closed");
            }
            rethrow(echoError.get(), placement.name() + ": echo thread");
            return new Result(placement, where.get(), median.get());
        }
    }

    private static void rethrow(Throwable error, String where) throws Exception {
        if (error == null) {
            return;
        }
        if (error instanceof Failure) {
            throw (Failure) error;
        }
        throw new Exception(where + " failed", error);
    }

    /** Warm-up, then the measured runs, each printed; returns the median run's rate. Runs in its own thread. */
    private static double client(int port, String label, int payloadBytes, double seconds, double warmupSeconds,
            int runs) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(SOCKET_TIMEOUT_MILLIS);
            OutputStream out = socket.getOutputStream();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            byte[] message = new byte[payloadBytes];
            byte[] reply = new byte[payloadBytes];
            run(out, in, message, reply, warmupSeconds, null);
            double[] rates = new double[runs];
            for (int r = 0; r < runs; r++) {
                long[] latencies = new long[(int) Math.min(50_000_000, seconds * 200_000)];
                int[] count = new int[1];
                rates[r] = run(out, in, message, reply, seconds, new Recorder(latencies, count));
                long[] sorted = Arrays.copyOf(latencies, count[0]);
                Arrays.sort(sorted);
                System.out.printf(Locale.ROOT, "%s run %d: %.0f round trips/s, p50 %.1f us, p99 %.1f us (%d B, %d round trips)%n",
                        label, r + 1, rates[r], sorted[sorted.length / 2] / 1000.0,
                        sorted[(int) (sorted.length * 0.99)] / 1000.0, payloadBytes, sorted.length);
            }
            double[] sortedRates = rates.clone();
            Arrays.sort(sortedRates);
            return sortedRates[runs / 2];
        }
    }

    private record Recorder(long[] latencies, int[] count) {
        void record(long nanos) {
            if (count[0] < latencies.length) {
                latencies[count[0]++] = nanos;
            }
        }
    }

    private static double run(OutputStream out, DataInputStream in, byte[] message, byte[] reply, double seconds,
            Recorder recorder) throws IOException {
        long start = System.nanoTime();
        long end = start + (long) (seconds * 1e9);
        long trips = 0;
        for (long now = start; now < end; trips++) {
            message[trips % message.length == 0 ? 0 : (int) (trips % message.length)] = (byte) trips;
            out.write(message);
            in.readFully(reply);
            long after = System.nanoTime();
            if (!Arrays.equals(message, reply)) {
                throw new IllegalStateException("reply " + trips + " differs from what was sent");
            }
            if (recorder != null) {
                recorder.record(after - now);
            }
            now = after;
        }
        return trips / ((System.nanoTime() - start) / 1e9);
    }

    private static void echo(ServerSocket listener, int payloadBytes) throws IOException {
        try (Socket socket = listener.accept(); InputStream in = socket.getInputStream(); OutputStream out = socket.getOutputStream()) {
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(SOCKET_TIMEOUT_MILLIS);
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = in.read(buffer)) >= 0; ) {
                out.write(buffer, 0, n);
            }
        }
    }

    /**
     * Places the calling thread: pinned to {@code cpu}, or (null) unpinned, i.e. allowed every CPU the process was
     * allowed at start. Returns the thread's Cpus_allowed_list as read back, or null where it cannot be read (not Linux).
     */
    private static String place(Integer cpu, String allowed, String who) throws IOException, InterruptedException {
        if (cpu != null) {
            pinSelf(String.valueOf(cpu), who);
            String readBack = ownCpus();
            if (!parseCpuList(readBack).equals(new TreeSet<>(List.of(cpu)))) {
                throw new Failure("taskset pinned the " + who + " thread to CPU " + cpu + ", yet its Cpus_allowed_list"
                        + " reads " + readBack);
            }
            return readBack;
        }
        if (allowed == null) {
            return null;
        }
        String readBack = ownCpus();
        if (!parseCpuList(readBack).equals(parseCpuList(allowed))) {
            // Inherited a mask from a pinned creator (main never pins itself, so this should not happen): unpin.
            pinSelf(allowed, who);
            readBack = ownCpus();
            if (!parseCpuList(readBack).equals(parseCpuList(allowed))) {
                throw new Failure("could not unpin the " + who + " thread: Cpus_allowed_list reads " + readBack
                        + ", not the process's " + allowed);
            }
        }
        return readBack;
    }

    /** {@code taskset -p -c CPUS TID} on the calling thread's own Linux thread id; bounded, output kept for errors. */
    private static void pinSelf(String cpus, String who) throws IOException, InterruptedException {
        String tid = ownTid();
        String command = "taskset -p -c " + cpus + " " + tid;
        String what = "pinning the " + who + " thread (tid " + tid + ") to CPU " + cpus;
        Path log = Files.createTempFile("pingpong-taskset", ".log");
        try {
            Process process;
            try {
                process = new ProcessBuilder("taskset", "-p", "-c", cpus, tid).redirectErrorStream(true)
                        .redirectOutput(log.toFile()).start();
            } catch (IOException e) {
                throw new Failure("could not run taskset (util-linux) for " + what + ": " + e.getMessage()
                        + "; install util-linux or use placement none");
            }
            process.getOutputStream().close();
            if (!process.waitFor(TASKSET_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new Failure("'" + command + "' (" + what + ") did not finish within " + TASKSET_TIMEOUT_SECONDS + " s");
            }
            if (process.exitValue() != 0) {
                throw new Failure("'" + command + "' (" + what + ") exited with " + process.exitValue() + ": "
                        + Files.readString(log, Charset.defaultCharset()).trim().replace('\n', ' '));
            }
        } finally {
            Files.deleteIfExists(log);
        }
    }

    /** The calling thread's Linux thread id: the last element of the link /proc/thread-self ("PID/task/TID"). */
    private static String ownTid() throws IOException {
        String target = Files.readSymbolicLink(THREAD_SELF).toString();
        String tid = target.substring(target.lastIndexOf('/') + 1);
        if (!tid.matches("[0-9]+")) {
            throw new Failure(THREAD_SELF + " links to '" + target + "', not PID/task/TID");
        }
        return tid;
    }

    private static String ownCpus() throws IOException {
        return statusField(THREAD_SELF.resolve("status"), "Cpus_allowed_list");
    }

    private static String statusField(Path status, String field) throws IOException {
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith(field + ":")) {
                    return line.substring(field.length() + 1).trim();
                }
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        throw new Failure(field + " not found in " + status);
    }

    /** "0-2,5" to {0, 1, 2, 5}. */
    private static TreeSet<Integer> parseCpuList(String list) {
        TreeSet<Integer> cpus = new TreeSet<>();
        for (String part : list.split(",")) {
            part = part.trim();
            if (part.isEmpty()) {
                continue;
            }
            int dash = part.indexOf('-');
            int first = Integer.parseInt(dash < 0 ? part : part.substring(0, dash));
            int last = dash < 0 ? first : Integer.parseInt(part.substring(dash + 1));
            for (int cpu = first; cpu <= last; cpu++) {
                cpus.add(cpu);
            }
        }
        if (cpus.isEmpty()) {
            throw new Failure("empty CPU list '" + list + "'");
        }
        return cpus;
    }

    /** "cpu 0" for one CPU, "cpus 0-1" for several, "cpus unknown" where they cannot be read. */
    private static String cpus(String list) {
        if (list == null) {
            return "cpus unknown";
        }
        return (parseCpuList(list).size() == 1 ? "cpu " : "cpus ") + list;
    }

    /** The approximately-equal sign where standard output can encode it (the source stays ASCII either way). */
    private static String approx() {
        String encoding = System.getProperty("sun.stdout.encoding", System.getProperty("file.encoding"));
        try {
            return Charset.forName(encoding).newEncoder().canEncode('\u2248') ? "\u2248" : "~=";
        } catch (RuntimeException e) {
            return "~=";
        }
    }

    private static int parseInt(String text, String name) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new Failure(name + " '" + text + "' is not a whole number; " + USAGE);
        }
    }

    private static double parseDouble(String text, String name) {
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new Failure(name + " '" + text + "' is not a number; " + USAGE);
        }
    }
}
