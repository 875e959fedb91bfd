package io.wsbench.jmh;

import io.wsbench.client.EchoLoad;
import io.wsbench.record.LatencyRecorder;
import java.time.Duration;
import java.util.function.Consumer;

/** The echo load as a {@link LoadDriver}: {@code starter} sets it going under the benchmark's closed or open loop. */
public record EchoLoadDriver(EchoLoad load, Consumer<EchoLoad> starter) implements LoadDriver {
    @Override
    public long verified() {
        return load.echoed();
    }

    @Override
    public void throwIfFailed() {
        load.throwIfFailed();
    }

    @Override
    public String stallMessage() {
        return "no echo from " + load.target();
    }

    @Override
    public LatencyRecorder latency() {
        return load.latency();
    }

    @Override
    public LatencyRecorder sendLag() {
        return load.sendLag();
    }

    @Override
    public void resetRecorders() {
        load.latency().reset();
        load.sendLag().reset();
    }

    @Override
    public void start() {
        starter.accept(load);
    }

    @Override
    public void stop() {
        load.stop();
    }

    @Override
    public void close(Duration budget) {
        load.close(budget);
    }
}
