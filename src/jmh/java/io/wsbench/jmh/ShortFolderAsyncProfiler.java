package io.wsbench.jmh;

import org.openjdk.jmh.profile.AsyncProfiler;
import org.openjdk.jmh.profile.ProfilerException;

/**
 * JMH's {@code -prof async} with a short folder per trial ({@link ShortFolderProfiler}), so that it works on the
 * benchmarks with many parameters: {@code -prof 'io.wsbench.jmh.ShortFolderAsyncProfiler:output=flamegraph;dir=DIR'}.
 */
public final class ShortFolderAsyncProfiler extends ShortFolderProfiler {
    public ShortFolderAsyncProfiler(String initLine) throws ProfilerException {
        super(initLine, new AsyncProfiler(initLine));
    }
}
