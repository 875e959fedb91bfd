package io.wsbench.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The arithmetic behind the secondary metrics: rate validity, CPU split, memory. */
class LoadMetricsTest {

    @Test
    void aRunMoreThanFivePercentShortOfItsTargetIsInvalid() {
        assertThat(new RateCheck(10_000, 9_600).valid()).isTrue();
        assertThat(new RateCheck(10_000, 9_500).valid()).isTrue();
        RateCheck tooSlow = new RateCheck(10_000, 9_400);
        assertThat(tooSlow.valid()).isFalse();
        assertThat(tooSlow.shortfallPercent()).isCloseTo(6.0, within(1e-9));
        assertThat(tooSlow.describe()).startsWith("INVALID RUN").contains("6.0 % short of the 10000 msg/s target");
        assertThat(new RateCheck(10_000, 10_200).shortfallPercent()).as("overshoot is no shortfall").isZero();
        assertThatThrownBy(() -> new RateCheck(0, 1)).hasMessageContaining("target rate must be a positive number");
    }

    @Test
    void cpuIsSplitIntoClientAndTheRestOfTheProcess() {
        // 2 s on 2 cores: the process used 3 s of CPU, 1 s of it on client threads, for 100 000 messages.
        CpuUsage cpu = new CpuUsage(2_000_000_000L, 3_000_000_000L, 1_000_000_000L, 2);
        assertThat(cpu.clientPercent()).isCloseTo(25.0, within(1e-9));
        assertThat(cpu.serverPercent()).isCloseTo(50.0, within(1e-9));
        assertThat(cpu.clientMicrosPerMessage(100_000)).isCloseTo(10.0, within(1e-9));
        assertThat(cpu.serverMicrosPerMessage(100_000)).isCloseTo(20.0, within(1e-9));
        assertThat(new CpuUsage(1, 5, 8, 2).serverCpuNanos()).as("tick rounding never gives negative server time").isZero();
        assertThatThrownBy(() -> cpu.clientMicrosPerMessage(0)).hasMessageContaining("at least one message");
    }

    @Test
    void cpuSamplesSeeThisThreadWorking() {
        CpuSample before = CpuSample.take(name -> name.equals(Thread.currentThread().getName()));
        long spin = System.nanoTime() + 50_000_000L;
        long x = 0;
        while (System.nanoTime() < spin) {
            x += Long.numberOfTrailingZeros(x + 1);
        }
        CpuUsage used = before.until(CpuSample.take(name -> name.equals(Thread.currentThread().getName())));
        assertThat(used.clientCpuNanos()).isPositive();
        assertThat(used.processCpuNanos()).isPositive();
        assertThat(x).isNotNegative();
    }

    @Test
    void residentSetSizeComesFromVmRss() {
        assertThat(ProcessMemory.parseVmRssMiB(List.of("Name:\tjava", "VmRSS:\t  204800 kB", "Threads: 30")).getAsDouble())
                .isEqualTo(200.0);
        assertThat(ProcessMemory.parseVmRssMiB(List.of("Name:\tjava"))).isEmpty();
        assertThat(ProcessMemory.residentSetMiB().orElseThrow()).isPositive();
        assertThat(ProcessMemory.heapUsedAfterGcMiB()).isPositive();
    }
}
