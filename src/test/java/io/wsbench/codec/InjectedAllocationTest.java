package io.wsbench.codec;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The allocation test switch: N bytes per frame when on, nothing when off, and a clear message for nonsense. */
class InjectedAllocationTest {

    private static final int FRAMES = 10_000;

    @Test
    void switchOnAllocatesTheBytesPerFrame() throws Exception {
        long allocated = allocatedBytes("-D" + InjectedSlowdown.ALLOCATION_PROPERTY + "=1000");
        // a byte[1000] is 1016 bytes with its header; the loop itself allocates nothing
        assertThat(allocated).isBetween(FRAMES * 1000L, FRAMES * 1100L);
    }

    @Test
    void switchOffAllocatesNothingPerFrame() throws Exception {
        long allocated = allocatedBytes("-Dwsbench.unrelated=1");
        assertThat(allocated).isLessThan(FRAMES * 8L);
    }

    @Test
    void allocationEscapesAsAnArrayOfTheSize() {
        assertThat(InjectedSlowdown.allocate(64)).hasSize(64);
    }

    @Test
    void allocationSwitchAcceptsBytesAndRejectsNonsense() {
        assertThat(InjectedSlowdown.parseBytes(null)).isZero();
        assertThat(InjectedSlowdown.parseBytes(" ")).isZero();
        assertThat(InjectedSlowdown.parseBytes("64")).isEqualTo(64);
        assertThatThrownBy(() -> InjectedSlowdown.parseBytes("-1")).hasMessageContaining("whole number of bytes");
        assertThatThrownBy(() -> InjectedSlowdown.parseBytes("lots"))
                .hasMessageContaining("-Dwsbench.inject.frameAllocationBytes=64");
    }

    private static long allocatedBytes(String property) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), property,
                "-cp", System.getProperty("java.class.path"), InjectedAllocationProbe.class.getName(), String.valueOf(FRAMES)));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            throw new AssertionError("the probe JVM did not finish within 60 s");
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(process.exitValue()).as(output).isZero();
        return Long.parseLong(output.lines().reduce((a, b) -> b).orElseThrow());
    }
}
