package io.wsbench.placement;

/**
 * The CPUs each role may run on, for a placement on this machine: the client's threads, the server's (all of a
 * server's own process when it runs outside this JVM), and every other thread of the JVM (JIT, GC, JMH's).
 */
public record CpuPlan(Placement placement, CpuSet client, CpuSet server, CpuSet other) {

    /** Whether threads are pinned at all ({@code none} leaves them to the scheduler). */
    public boolean pins() {
        return placement.kind() != Placement.Kind.NONE;
    }

    /** {@code client 0, server 1, other 0-1}. */
    public String describe() {
        return "client " + client + ", server " + server + ", other " + other;
    }
}
