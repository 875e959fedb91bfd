package io.wsbench.results;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
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
}
