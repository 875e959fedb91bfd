package io.wsbench.report;

import io.wsbench.results.JmhResultFile.Metric;
import io.wsbench.results.JmhResultFile.Result;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Whether every fork of a score had settled when it was measured, for the marks and the note of the round-trip and
 * the load reports. JMH's ± is the spread of the iterations around their mean: a fork that climbs all through its
 * measurement (still warming up) or slides (degrading) can have a narrow one and still average a moving target.
 *
 * <p>One instance per report section: {@link #mark} judges each row and remembers the unsettled ones, {@link #note}
 * names them under the tables.
 */
final class SteadyState {

    /**
     * How far a fork's last measured iteration may be from its first, as a fraction of the first, and the fork still
     * count as settled. A fork still warming up (JIT tiers, pools growing) or degrading drifts one way, by more than
     * the iteration-to-iteration scatter of a settled one, which stays within a few percent on a quiet machine; 15 %
     * leaves that scatter alone and catches a drift large enough to change a comparison between servers. First
     * against last rather than a fitted slope: with JMH's few iterations per fork a slope says little more than its ends.
     */
    static final double MAX_DRIFT = 0.15;
    /** After a score some fork of which had not settled; neither ⚠ (client saturated) nor ‡ (cut short). */
    static final String MARK = "↕";

    private final List<String> unsettled = new ArrayList<>();

    /**
     * {@code " ↕"} when some fork of {@code result}'s primary metric moved by more than {@link #MAX_DRIFT} from its
     * first measured iteration to its last, remembering it for the note as {@code server} in {@code table}; empty
     * otherwise, and for a result without per-iteration throughput scores (SampleTime has histograms instead).
     */
    String mark(String table, String server, Result result) {
        Metric m = result.primaryMetric();
        List<String> moves = new ArrayList<>();
        for (int fork = 0; fork < m.rawData().size(); fork++) {
            List<Double> iterations = m.rawData().get(fork);
            if (iterations.size() < 2) {
                continue;
            }
            double first = iterations.get(0);
            double last = iterations.get(iterations.size() - 1);
            double drift = (last - first) / first;
            if (Math.abs(drift) > MAX_DRIFT) {
                // one decimal, so that a drift just past the threshold does not read as the threshold itself
                moves.add(String.format(Locale.ROOT, "fork %d: %s → %s (%+.1f %%)", fork + 1,
                        perSecond(first, m), perSecond(last, m), 100 * drift));
            }
        }
        if (moves.isEmpty()) {
            return "";
        }
        String means = Arrays.stream(m.forkMeans()).mapToObj(mean -> perSecond(mean, m)).collect(Collectors.joining(" · "));
        unsettled.add(server + (table.isEmpty() ? "" : " (" + table + ")") + " " + String.join(", ", moves)
                + "; fork means " + means);
        return " " + MARK;
    }

    /** True when some row got the mark, so the section has notes to print. */
    boolean marked() {
        return !unsettled.isEmpty();
    }

    /** The note explaining the mark, with each marked row's moving forks and fork means; empty when none was marked. */
    String note() {
        if (unsettled.isEmpty()) {
            return "";
        }
        StringBuilder note = new StringBuilder(String.format(Locale.ROOT, "- %s after a score: in some fork the last "
                + "measured iteration is more than %.0f %% from the first, so the row was not measured in a steady state "
                + "(the server still warming up or degrading, or the machine busy with something else) and the score "
                + "averages a moving target, which its ± does not show; warm up longer (-wi, -w) on a quiet machine "
                + "before trusting it. The forks that moved, and every fork's mean:\n", MARK, 100 * MAX_DRIFT));
        unsettled.forEach(row -> note.append("  - ").append(row).append('\n'));
        return note.toString();
    }

    private static String perSecond(double score, Metric m) {
        return Markdown.number(Units.toPerSecond(score, m.scoreUnit()));
    }
}
