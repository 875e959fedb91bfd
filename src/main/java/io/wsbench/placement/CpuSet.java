package io.wsbench.placement;

import java.util.BitSet;
import java.util.StringJoiner;

/**
 * A set of CPU numbers, written as Linux writes them in {@code Cpus_allowed_list} ({@code 0-3,6}). Immutable.
 */
public final class CpuSet {
    private final BitSet cpus;

    private CpuSet(BitSet cpus) {
        this.cpus = cpus;
    }

    public static CpuSet of(int... cpus) {
        BitSet bits = new BitSet();
        for (int cpu : cpus) {
            if (cpu < 0) {
                throw new IllegalArgumentException("a CPU number is 0 or more, was " + cpu);
            }
            bits.set(cpu);
        }
        return new CpuSet(bits);
    }

    /**
     * Parses Linux's list format: numbers and ranges joined by {@code separator} ({@code ','} as /proc writes it;
     * {@code '+'} inside a JMH parameter value, where a comma would split the value).
     */
    public static CpuSet parse(String list, char separator) {
        BitSet bits = new BitSet();
        String trimmed = list.trim();
        if (trimmed.isEmpty()) {
            throw new IllegalArgumentException("an empty CPU list");
        }
        for (String part : trimmed.split(java.util.regex.Pattern.quote(String.valueOf(separator)))) {
            String[] range = part.trim().split("-", -1);
            try {
                int from = Integer.parseInt(range[0].trim());
                int to = range.length == 2 ? Integer.parseInt(range[1].trim()) : from;
                if (range.length > 2 || from < 0 || to < from) {
                    throw new NumberFormatException();
                }
                bits.set(from, to + 1);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + part + "' in CPU list '" + list + "' is not a CPU number or a"
                        + " range such as 2-3", e);
            }
        }
        return new CpuSet(bits);
    }

    public boolean isEmpty() {
        return cpus.isEmpty();
    }

    public int size() {
        return cpus.cardinality();
    }

    public boolean containsAll(CpuSet other) {
        BitSet outside = (BitSet) other.cpus.clone();
        outside.andNot(cpus);
        return outside.isEmpty();
    }

    public boolean intersects(CpuSet other) {
        return cpus.intersects(other.cpus);
    }

    /** The {@code index}-th CPU in ascending order, from 0. */
    public int nth(int index) {
        int cpu = cpus.nextSetBit(0);
        for (int i = 0; i < index && cpu >= 0; i++) {
            cpu = cpus.nextSetBit(cpu + 1);
        }
        if (cpu < 0) {
            throw new IndexOutOfBoundsException("CPU set " + this + " has no CPU number " + index);
        }
        return cpu;
    }

    public CpuSet minus(CpuSet other) {
        BitSet rest = (BitSet) cpus.clone();
        rest.andNot(other.cpus);
        return new CpuSet(rest);
    }

    public CpuSet union(CpuSet other) {
        BitSet both = (BitSet) cpus.clone();
        both.or(other.cpus);
        return new CpuSet(both);
    }

    /** The set as the 64-bit words of a Linux {@code cpu_set_t} of {@code words} words. */
    long[] mask(int words) {
        long[] mask = new long[words];
        long[] set = cpus.toLongArray();
        if (set.length > words) {
            throw new IllegalArgumentException("CPU " + (cpus.length() - 1) + " is beyond the " + 64 * words
                    + " CPUs a cpu_set_t holds");
        }
        System.arraycopy(set, 0, mask, 0, set.length);
        return mask;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof CpuSet set && set.cpus.equals(cpus);
    }

    @Override
    public int hashCode() {
        return cpus.hashCode();
    }

    /** Linux's list format: {@code 0-3,6}. */
    @Override
    public String toString() {
        StringJoiner list = new StringJoiner(",");
        for (int from = cpus.nextSetBit(0); from >= 0; ) {
            int to = cpus.nextClearBit(from) - 1;
            list.add(from == to ? Integer.toString(from) : from + "-" + to);
            from = cpus.nextSetBit(to + 1);
        }
        return list.toString();
    }
}
