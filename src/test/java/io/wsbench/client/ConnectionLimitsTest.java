package io.wsbench.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The connection counts a process here can hold, read from /proc, and the refusal of one it cannot. */
class ConnectionLimitsTest {

    @Test
    void readsTheOpenFileLimitAndThePortRange() {
        List<String> limits = List.of("Limit                     Soft Limit           Hard Limit           Units",
                "Max open files            20000                20000                files");
        assertThat(ConnectionLimits.openFileLimit(limits)).hasValue(20000);
        assertThat(ConnectionLimits.openFileLimit(List.of("Max open files            unlimited            unlimited  files")))
                .isEmpty();
        assertThat(ConnectionLimits.portRange(List.of("32768\t60999"))).containsExactly(32768, 60999);
    }

    @Test
    void aCountAboveThisProcesssLimitFailsNamingItTheNeedAndTheWayOut() {
        long limit = ConnectionLimits.openFileLimit(readLimits()).orElse(Long.MAX_VALUE);
        assumeTrue(limit < 1_000_000, "no open-file limit to exceed here");
        int tooMany = (int) (limit / 2 + 1);
        assertThatThrownBy(() -> ConnectionLimits.require(tooMany, true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("connections=" + tooMany)
                .hasMessageContaining("limit is " + limit)
                .hasMessageContaining("serverProcess=forked");
        assertThatCode(() -> ConnectionLimits.require(100, true)).doesNotThrowAnyException();
    }

    private static List<String> readLimits() {
        try {
            return Files.readAllLines(Path.of("/proc/self/limits"));
        } catch (IOException e) {
            return List.of();
        }
    }
}
