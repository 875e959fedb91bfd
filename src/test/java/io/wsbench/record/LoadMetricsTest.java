package io.wsbench.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.wsbench.record.ThreadCpu.Role;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
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
    void cpuIsSplitByRoleAndPerMessage() {
        // 2 s: the server used 1 s, the client 0.5 s, GC 0.1 s, for 100 000 messages; the busiest client thread 1.9 s.
        Map<Role, Long> used = new EnumMap<>(Role.class);
        used.put(Role.SERVER, 1_000_000_000L);
        used.put(Role.CLIENT, 500_000_000L);
        used.put(Role.GC, 100_000_000L);
        used.put(Role.JIT, 0L);
        used.put(Role.OTHER, 0L);
        ThreadCpu.Split cpu = new ThreadCpu.Split(2_000_000_000L, used, 1_900_000_000L);
        assertThat(cpu.percentOfCore(Role.SERVER)).isCloseTo(50.0, within(1e-9));
        assertThat(cpu.percentOfCore(Role.CLIENT)).isCloseTo(25.0, within(1e-9));
        assertThat(cpu.microsPerMessage(Role.SERVER, 100_000)).isCloseTo(10.0, within(1e-9));
        assertThat(cpu.microsPerMessage(Role.GC, 100_000)).isCloseTo(1.0, within(1e-9));
        assertThat(cpu.busiestClientThreadCores()).isCloseTo(0.95, within(1e-9));
        assertThat(cpu.clientSaturated()).as("a client thread 95 % busy").isTrue();
        assertThat(new ThreadCpu.Split(2_000_000_000L, used, 1_700_000_000L).clientSaturated()).as("85 % busy").isFalse();
        assertThatThrownBy(() -> cpu.microsPerMessage(Role.CLIENT, 0)).hasMessageContaining("at least one message");
    }

    @Test
    void threadCpuSeesThisThreadWorkingAsTheRoleItIsGiven() {
        Thread self = Thread.currentThread();
        ThreadCpu before = ThreadCpu.take(t -> false, t -> t == self);
        long spin = System.nanoTime() + 50_000_000L;
        long x = 0;
        while (System.nanoTime() < spin) {
            x += Long.numberOfTrailingZeros(x + 1);
        }
        ThreadCpu.Split used = before.until(ThreadCpu.take(t -> false, t -> t == self));
        assertThat(used.cpuNanos().get(Role.CLIENT)).isPositive();
        assertThat(used.busiestClientThreadNanos()).isEqualTo(used.cpuNanos().get(Role.CLIENT));
        assertThat(used.cpuNanos().get(Role.SERVER)).isZero();
        assertThat(x).isNotNegative();
        ThreadCpu.Split asServer = ThreadCpu.take(t -> t == self, t -> false).until(ThreadCpu.take(t -> t == self, t -> false));
        assertThat(asServer.cpuNanos().get(Role.CLIENT)).isZero();
    }

    @Test
    void aThreadThatEndsBetweenTwoSamplesKeepsTheCpuItHadWhenLastNoted() throws InterruptedException {
        java.util.concurrent.CountDownLatch burnt = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch end = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.atomic.AtomicLong usedByWorker = new java.util.concurrent.atomic.AtomicLong();
        Thread worker = new Thread(() -> {
            long x = 0;
            for (int i = 0; i < 20_000_000; i++) {
                x += Long.numberOfTrailingZeros(x + i);
            }
            usedByWorker.set(java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() + (x & 0));
            burnt.countDown();
            try {
                end.await(30, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "test-server-worker");
        java.util.function.Predicate<Thread> isServer = t -> t == worker;
        ThreadCpu before = ThreadCpu.take(isServer, t -> false);
        worker.start();
        assertThat(burnt.await(30, java.util.concurrent.TimeUnit.SECONDS)).as("worker finished its loop").isTrue();
        ThreadCpu.noteThreads(isServer, t -> false);
        end.countDown();
        worker.join(30_000);
        assertThat(worker.isAlive()).as("worker ended").isFalse();

        ThreadCpu.Split used = before.until(ThreadCpu.take(isServer, t -> false));
        assertThat(usedByWorker.get()).isPositive();
        assertThat(used.cpuNanos().get(Role.SERVER)).as("the ended worker's CPU stays the server's")
                .isGreaterThanOrEqualTo(usedByWorker.get());
    }

    @Test
    void theJvmsOwnThreadsAreToldApartByName() {
        assertThat(ThreadCpu.vmRole("GC Thread#0")).isEqualTo(Role.GC);
        assertThat(ThreadCpu.vmRole("G1 Conc#0")).isEqualTo(Role.GC);
        assertThat(ThreadCpu.vmRole("C2 CompilerThre")).isEqualTo(Role.JIT);
        assertThat(ThreadCpu.vmRole("C1 CompilerThre")).isEqualTo(Role.JIT);
        assertThat(ThreadCpu.vmRole("VM Thread")).isNull();
        assertThat(ThreadCpu.vmRole("netty-io-1")).isNull();
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
