package io.wsbench.jmh;

import java.nio.ByteBuffer;
import java.util.Collection;
import java.util.zip.DataFormatException;
import org.HdrHistogram.Histogram;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.Aggregator;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ResultRole;

/**
 * A percentile of an HdrHistogram that JMH aggregates by merging the histograms, not by averaging their percentiles:
 * across threads, iterations and forks the score is the percentile of the merged distribution of every recorded value,
 * as JMH's own sample mode computes its percentiles. The histogram travels from the forked JVM in HdrHistogram's
 * compressed encoding.
 */
public final class MergedPercentileResult extends Result<MergedPercentileResult> {
    private static final long serialVersionUID = 1L;

    private final double percentile;
    private final byte[] compressedHistogram;

    /**
     * @param percentile 0 to 100; 100 is the maximum
     */
    public MergedPercentileResult(String label, Histogram histogram, double percentile, String unit) {
        this(label, encode(histogram), percentile, histogram.getValueAtPercentile(percentile), unit);
    }

    private MergedPercentileResult(String label, byte[] compressedHistogram, double percentile, double value, String unit) {
        super(ResultRole.SECONDARY, label, of(value), unit, AggregationPolicy.AVG);
        this.percentile = percentile;
        this.compressedHistogram = compressedHistogram;
    }

    /** The histogram this result holds: one iteration's, or the merge of all aggregated. */
    public Histogram histogram() {
        try {
            return Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(compressedHistogram), 0);
        } catch (DataFormatException e) {
            throw new IllegalStateException("the histogram of " + label + " arrived damaged from the forked JVM", e);
        }
    }

    /** The aggregator JMH uses across iterations and forks, for tests. */
    Aggregator<MergedPercentileResult> iterationAggregator() {
        return getIterationAggregator();
    }

    @Override
    protected Aggregator<MergedPercentileResult> getThreadAggregator() {
        return MergedPercentileResult::merge;
    }

    @Override
    protected Aggregator<MergedPercentileResult> getIterationAggregator() {
        return MergedPercentileResult::merge;
    }

    private static MergedPercentileResult merge(Collection<MergedPercentileResult> results) {
        Histogram merged = null;
        MergedPercentileResult first = null;
        for (MergedPercentileResult r : results) {
            Histogram h = r.histogram();
            if (merged == null) {
                merged = h;
                first = r;
            } else {
                merged.add(h);
            }
        }
        if (first == null) {
            throw new IllegalArgumentException("nothing to merge");
        }
        return new MergedPercentileResult(first.label, merged, first.percentile, first.unit);
    }

    private static byte[] encode(Histogram histogram) {
        ByteBuffer buffer = ByteBuffer.allocate(histogram.getNeededByteBufferCapacity());
        int length = histogram.encodeIntoCompressedByteBuffer(buffer);
        byte[] bytes = new byte[length];
        buffer.flip();
        buffer.get(bytes);
        return bytes;
    }
}
