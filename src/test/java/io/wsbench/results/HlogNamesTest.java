package io.wsbench.results;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HlogNamesTest {

    private static Map<String, String> params(String target) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("connections", "1");
        params.put("loadModel", "closed");
        params.put("protocol", "socketio");
        params.put("rampMillis", "0");
        params.put("server", "socketio@127.0.0.1");
        params.put("target", target);
        params.put("tickMicros", "1000");
        return params;
    }

    @Test
    void defaultsThatSayNothingAreLeftOutAndTheRestNamed() {
        String name = HlogNames.forkLogPrefix("io.wsbench.load.EchoLoadBenchmark.echo", params("ws://h:1/x"));

        assertThat(name).isEqualTo("EchoLoadBenchmark.echo-connections=1_loadModel=closed_protocol=socketio"
                + "_server=socketio_127.0.0.1_target=ws___h_1_x-fork");
    }

    @Test
    void aNameTooLongForAFileKeepsItsStartAndEndsInAHashOfTheWhole() {
        String longTarget = "ws://127.0.0.1:35097/socket.io/?EIO=4&transport=websocket&" + "padding=x".repeat(30);
        String a = HlogNames.forkLogPrefix("io.wsbench.load.EchoLoadBenchmark.echo", params(longTarget));
        String b = HlogNames.forkLogPrefix("io.wsbench.load.EchoLoadBenchmark.echo", params(longTarget + "y"));

        assertThat((a + "99.hlog").length()).isLessThanOrEqualTo(255);
        assertThat(a).startsWith("EchoLoadBenchmark.echo-connections=1_loadModel=closed").isNotEqualTo(b);
    }

    @Test
    void aMetricsOwnLogIsNamedLikeTheLatencyLogAndToldApartFromIt() {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("connections", "100");
        params.put("server", "netty");
        String latency = HlogNames.forkLogPrefix("io.wsbench.idle.IdleConnectionsBenchmark.echo", params);
        String handshake = HlogNames.metricLogPrefix("io.wsbench.idle.IdleConnectionsBenchmark.echo", params,
                MetricNames.HANDSHAKE);
        String slow = HlogNames.metricLogPrefix("io.wsbench.broadcast.BroadcastBenchmark.delivery", params,
                MetricNames.SLOW_LATENCY);

        assertThat(handshake).isEqualTo("IdleConnectionsBenchmark.echo-connections=100_server=netty-handshake-fork");
        assertThat(HlogNames.isLatencyLog(latency + "1" + HlogNames.EXTENSION)).isTrue();
        assertThat(HlogNames.isLatencyLog(handshake + "1" + HlogNames.EXTENSION)).isFalse();
        assertThat(HlogNames.isLatencyLog(slow + "12" + HlogNames.EXTENSION)).isFalse();
        assertThat(HlogNames.fits(handshake + "1" + HlogNames.EXTENSION, params, Set.of("server")))
                .as("found by its parameters like the latency log").isTrue();
    }

    @Test
    void aLongTargetStillLeavesRoomForTheMetricAndTheForkNumber() {
        String slow = HlogNames.metricLogPrefix("io.wsbench.broadcast.BroadcastBenchmark.delivery",
                params("ws://127.0.0.1:35097/" + "padding=x".repeat(30)), MetricNames.SLOW_LATENCY);

        assertThat((slow + "9999" + HlogNames.EXTENSION).length()).isLessThanOrEqualTo(255);
        assertThat(HlogNames.isLatencyLog(slow + "1" + HlogNames.EXTENSION)).isFalse();
    }

    @Test
    void aMetricWithoutALogOfItsOwnIsRefusedNamingTheOnesThatHave() {
        assertThatThrownBy(() -> HlogNames.metricLogPrefix("io.wsbench.idle.IdleConnectionsBenchmark.echo", Map.of(),
                MetricNames.LATENCY_P99))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'latency.p99' has no log of its own").hasMessageContaining(MetricNames.HANDSHAKE);
    }
}
