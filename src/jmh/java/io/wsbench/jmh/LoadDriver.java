package io.wsbench.jmh;

import io.wsbench.record.LatencyRecorder;
import java.time.Duration;

/**
 * What a load-style benchmark drives over the connections its trial opened (the echo load, the broadcast room, the
 * idle connections' active share): {@link AbstractLoadBenchmark} starts and stops it around each iteration, counts
 * what it verified on the JMH thread and closes it at the end of the trial.
 */
public interface LoadDriver {
    /** Operations verified so far (echoes, deliveries), counted on the client's event loops. */
    long verified();

    /** Throws the first failure a connection reported, if any. */
    void throwIfFailed();

    /** What to say when {@link #verified} stops growing, e.g. {@code no echo from ws://127.0.0.1:8080/echo}. */
    String stallMessage();

    /** Round-trip (or delivery) latency, one interval per iteration. */
    LatencyRecorder latency();

    /** How late the client sent against its schedule. */
    LatencyRecorder sendLag();

    /** Clears every recorder before an iteration, so that warmup never reaches a measured histogram. */
    void resetRecorders();

    /** Starts sending, under the load model the benchmark chose. */
    void start();

    /** Stops sending and waits for every outstanding message, so no backlog spills into the next iteration. */
    void stop();

    /** Closes the connections, waiting at most {@code budget} for them. */
    void close(Duration budget);
}
