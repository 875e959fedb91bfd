package io.wsbench.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Timeouts come from system properties without becoming benchmark parameters; message sizes are checked up front. */
class ClientConfigTest {

    private static Properties properties(String... nameValuePairs) {
        Properties p = new Properties();
        for (int i = 0; i < nameValuePairs.length; i += 2) {
            p.setProperty(nameValuePairs[i], nameValuePairs[i + 1]);
        }
        return p;
    }

    @Test
    void timeoutsNotSetInThePropertiesKeepTheirDefaults() {
        ClientConfig config = ClientConfig.defaults().withTimeoutsFrom(properties());
        assertThat(config.echoTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.connectTimeout()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void timeoutsAreReadInMilliseconds() {
        ClientConfig config = ClientConfig.defaults().withTimeoutsFrom(properties(
                ClientConfig.ECHO_TIMEOUT_PROPERTY, "12000", ClientConfig.CONNECT_TIMEOUT_PROPERTY, " 750 "));
        assertThat(config.echoTimeout()).isEqualTo(Duration.ofSeconds(12));
        assertThat(config.connectTimeout()).isEqualTo(Duration.ofMillis(750));
    }

    @ParameterizedTest
    @ValueSource(strings = {"5s", "0", "-1", "", "1.5"})
    void aTimeoutThatIsNotAPositiveNumberOfMillisecondsIsRefusedSayingHowToSetIt(String value) {
        assertThatThrownBy(() -> ClientConfig.defaults().withTimeoutsFrom(properties(ClientConfig.ECHO_TIMEOUT_PROPERTY, value)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-Dwsbench.echoTimeoutMillis=" + value + " is not a positive whole number of milliseconds")
                .hasMessageContaining("-jvmArgsAppend -Dwsbench.echoTimeoutMillis=10000 (default 5000)");
    }

    @Test
    void aPayloadUpToTheLimitFitsAndOneByteMoreDoesNot() {
        ClientConfig config = ClientConfig.defaults().withMaxMessageBytes(1000);
        assertThatCode(() -> config.requireMessageFits(1000)).doesNotThrowAnyException();
        assertThatThrownBy(() -> config.requireMessageFits(1001))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("payloadBytes=1001 is above the maximum message size of 1000 bytes that the client and the"
                        + " embedded servers accept; use payloadBytes <= 1000");
    }

    @Test
    void theEchoPrefixCountsTowardsTheEchoesSize() {
        ClientConfig config = ClientConfig.defaults().withMaxMessageBytes(1000).withEchoPrefix("Echo: ");
        assertThatCode(() -> config.requireMessageFits(994)).doesNotThrowAnyException();
        assertThatThrownBy(() -> config.requireMessageFits(995))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("echo of 1001 bytes (echoPrefix + payloadBytes=995) is above the maximum message size of 1000 bytes");
    }
}
