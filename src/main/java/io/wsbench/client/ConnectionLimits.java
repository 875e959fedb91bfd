package io.wsbench.client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;

/**
 * What bounds how many connections one process can hold here, checked before a run opens any: the open-file limit
 * (each connection is a descriptor at each end that lives in this JVM) and the ephemeral port range (each connection
 * from one source address to one server port takes a port of it). A count above either fails at once, naming the
 * limit, the number needed and the way out, instead of failing thousands of handshakes in.
 */
public final class ConnectionLimits {
    /** Descriptors the JVM and the libraries hold besides the connections: jars, selectors, pipes, listeners. */
    static final int DESCRIPTOR_HEADROOM = 400;
    private static final Path LIMITS = Path.of("/proc/self/limits");
    private static final Path PORT_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");

    private ConnectionLimits() {
    }

    /**
     * Checks that {@code connections} fit this process.
     *
     * @param bothEndsHere whether the server's end of each connection is in this JVM too (an embedded server)
     * @throws IllegalArgumentException naming the limit, what the run needs and how to get there
     */
    public static void require(int connections, boolean bothEndsHere) {
        long needed = (long) connections * (bothEndsHere ? 2 : 1) + DESCRIPTOR_HEADROOM;
        OptionalLong limit = openFileLimit(readOrEmpty(LIMITS));
        if (limit.isPresent() && needed > limit.getAsLong()) {
            throw new IllegalArgumentException("connections=" + connections + " needs about " + needed + " open files in this"
                    + " JVM (" + (bothEndsHere ? "a descriptor for each end of each connection, client and server both here, "
                            : "a descriptor per connection, ") + "plus " + DESCRIPTOR_HEADROOM + " for the JVM), but its limit is "
                    + limit.getAsLong() + " (ulimit -n; the JVM raises its soft limit to the hard one, which only root can raise)."
                    + " Use at most " + (limit.getAsLong() - DESCRIPTOR_HEADROOM) / (bothEndsHere ? 2 : 1) + " connections"
                    + (bothEndsHere ? ", or -p serverProcess=forked, which puts the server's descriptors in a process of its own" : "")
                    + ", or split the client across processes or hosts (-p target on each)");
        }
        int[] range = portRange(readOrEmpty(PORT_RANGE));
        if (range != null && connections > range[1] - range[0] + 1) {
            throw new IllegalArgumentException("connections=" + connections + " from one source address to one server port need"
                    + " as many ephemeral ports, but this machine's range " + range[0] + "-" + range[1] + " has "
                    + (range[1] - range[0] + 1) + " (net.ipv4.ip_local_port_range); split the client across processes or"
                    + " hosts, each with fewer connections");
        }
    }

    /** The soft "Max open files" of a /proc limits file (the JVM has raised it to the hard one); empty if not there. */
    static OptionalLong openFileLimit(List<String> limits) {
        for (String line : limits) {
            if (line.startsWith("Max open files")) {
                String[] fields = line.substring("Max open files".length()).trim().split("\\s+");
                return fields[0].equals("unlimited") ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(fields[0]));
            }
        }
        return OptionalLong.empty();
    }

    /** The two numbers of ip_local_port_range, or null when it is not there. */
    static int[] portRange(List<String> lines) {
        if (lines.isEmpty()) {
            return null;
        }
        String[] fields = lines.get(0).trim().split("\\s+");
        return new int[] {Integer.parseInt(fields[0]), Integer.parseInt(fields[1])};
    }

    private static List<String> readOrEmpty(Path file) {
        if (!Files.isReadable(file)) {
            return List.of();
        }
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + file, e);
        }
    }
}
