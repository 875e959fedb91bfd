package io.wsbench.jmh;

import org.openjdk.jmh.profile.JavaFlightRecorderProfiler;
import org.openjdk.jmh.profile.ProfilerException;

/**
 * JMH's {@code -prof jfr} with a short folder per trial ({@link ShortFolderProfiler}), so that it works on the
 * benchmarks with many parameters: {@code -prof 'io.wsbench.jmh.ShortFolderJfrProfiler:dir=DIR'}.
 */
public final class ShortFolderJfrProfiler extends ShortFolderProfiler {
    public ShortFolderJfrProfiler(String initLine) throws ProfilerException {
        super(initLine, new JavaFlightRecorderProfiler(initLine));
    }
}
