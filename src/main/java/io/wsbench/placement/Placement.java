package io.wsbench.placement;

import java.util.Locale;

/**
 * Which CPUs a trial's client and server threads may run on: the benchmarks' {@code placement} parameter.
 *
 * <ul>
 *   <li>{@code shared}: the client's and the server's threads on one CPU (the first this JVM may use), everything else
 *       of the JVM (JIT, GC, JMH's own threads) on the others: an echo's CPU path, context switches included, with no
 *       wake-up across cores;
 *   <li>{@code split}: the client on one CPU, the server on another (the first two this JVM may use); the JVM's other
 *       threads on the CPUs left over, or on every CPU of the JVM where none is left (a 2-core machine): that path
 *       plus the cross-core wake-up the machine charges;
 *   <li>{@code none}: nothing pinned, wherever the scheduler puts each thread; not steady on a VM, so never a default.
 * </ul>
 *
 * <p>Explicit CPUs: {@code shared:CPUS} and {@code split:CLIENT/SERVER}, each a CPU list with {@code +} between its
 * parts ({@code split:0-1/2-3}, {@code shared:2}; a comma would split the JMH parameter value).
 */
public record Placement(Kind kind, CpuSet clientCpus, CpuSet serverCpus) {

    /** How the roles are laid out. */
    public enum Kind {
        SHARED, SPLIT, NONE;

        public String paramValue() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The parameter's name, the same in every benchmark, output file and report. */
    public static final String PARAM = "placement";
    /** The default of every benchmark: the steadiest on a VM (see docs/method.md). */
    public static final String DEFAULT = "shared";
    private static final char LIST_SEPARATOR = '+';

    /** Parses a {@code placement} value; explicit CPUs are checked against the machine by {@link #plan}. */
    public static Placement parse(String value) {
        String trimmed = value == null ? "" : value.trim();
        int colon = trimmed.indexOf(':');
        String kindName = colon < 0 ? trimmed : trimmed.substring(0, colon);
        Kind kind;
        try {
            kind = Kind.valueOf(kindName.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown placement '" + value + "': use shared (client and server on one"
                    + " CPU), split (client and server on different CPUs) or none (not pinned), optionally with CPUs as in"
                    + " shared:2 or split:0/1 (-p placement=shared)");
        }
        if (colon < 0) {
            return new Placement(kind, null, null);
        }
        String cpus = trimmed.substring(colon + 1);
        try {
            switch (kind) {
                case SHARED -> {
                    CpuSet both = CpuSet.parse(cpus, LIST_SEPARATOR);
                    return new Placement(kind, both, both);
                }
                case SPLIT -> {
                    String[] sides = cpus.split("/", -1);
                    if (sides.length != 2) {
                        throw new IllegalArgumentException("split takes CLIENT/SERVER, such as split:0/1");
                    }
                    CpuSet client = CpuSet.parse(sides[0], LIST_SEPARATOR);
                    CpuSet server = CpuSet.parse(sides[1], LIST_SEPARATOR);
                    if (client.intersects(server)) {
                        throw new IllegalArgumentException("split needs disjoint sets; client " + client + " and server "
                                + server + " share a CPU (use shared for one set)");
                    }
                    return new Placement(kind, client, server);
                }
                default -> throw new IllegalArgumentException("none takes no CPUs");
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("placement '" + value + "': " + e.getMessage(), e);
        }
    }

    /**
     * The CPU sets of each role on a JVM allowed {@code allowed}, on an OS named {@code osName}.
     *
     * @throws IllegalArgumentException when the placement cannot be had here, naming the cause and the way out
     */
    public CpuPlan plan(CpuSet allowed, String osName) {
        if (kind == Kind.NONE) {
            return new CpuPlan(this, allowed, allowed, allowed);
        }
        if (!osName.toLowerCase(Locale.ROOT).startsWith("linux")) {
            throw new IllegalArgumentException("placement=" + this + " pins threads with Linux's sched_setaffinity, and"
                    + " this is " + osName + ": run on Linux, or use -p placement=none (not pinned, not steady)");
        }
        CpuSet client = clientCpus;
        CpuSet server = serverCpus;
        if (client == null) {
            if (kind == Kind.SPLIT && allowed.size() < 2) {
                throw new IllegalArgumentException("placement=split needs two CPUs, and this JVM may run on CPU "
                        + allowed + " only (taskset, a cgroup's cpuset or the machine): allow it two CPUs, or use"
                        + " -p placement=shared");
            }
            client = CpuSet.of(allowed.nth(0));
            server = kind == Kind.SPLIT ? CpuSet.of(allowed.nth(1)) : client;
        }
        for (CpuSet roleCpus : new CpuSet[] {client, server}) {
            if (!allowed.containsAll(roleCpus)) {
                throw new IllegalArgumentException("placement=" + this + " names CPU " + roleCpus.minus(allowed)
                        + ", which does not exist or this JVM may not use: it may run on " + allowed
                        + " (Cpus_allowed_list in /proc/self/status); name CPUs from that list");
            }
        }
        CpuSet rest = allowed.minus(client.union(server));
        return new CpuPlan(this, client, server, rest.isEmpty() ? allowed : rest);
    }

    /** The parameter value: {@code shared}, {@code split:0/1} ... */
    @Override
    public String toString() {
        if (clientCpus == null) {
            return kind.paramValue();
        }
        return kind == Kind.SHARED ? "shared:" + list(clientCpus) : "split:" + list(clientCpus) + "/" + list(serverCpus);
    }

    private static String list(CpuSet cpus) {
        return cpus.toString().replace(',', LIST_SEPARATOR);
    }
}
