package io.wsbench.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** CPU and memory of a process tree from /proc, and the process listening on a port. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ProcessTreeUsageTest {

    @Test
    void cpuIsUtimeStimeCutimeCstimeCountedAfterTheCommandName() {
        // pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime cutime cstime ...
        String stat = "4242 (a (weird) name) S 1 4242 4242 0 -1 4194560 100 0 0 0 7 3 20 10 20 0 1 0 123 4096 50";
        assertThat(ProcessTreeUsage.cpuTicks(stat)).isEqualTo(7 + 3 + 20 + 10);
        assertThatThrownBy(() -> ProcessTreeUsage.cpuTicks("4242 no parens")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aBusyChildAndItsChildAreCounted() throws Exception {
        // A shell that starts a busy child, which keeps running: its CPU belongs to the tree.
        Process shell = new ProcessBuilder("sh", "-c", "sh -c 'while :; do :; done' & wait").start();
        try {
            ProcessTreeUsage first = awaitTree(shell.pid(), 2);
            ProcessTreeUsage later = first;
            for (int i = 0; i < 200 && later.cpuNanosSince(first) == 0; i++) {
                Thread.sleep(20);
                later = ProcessTreeUsage.sample(shell.pid());
            }
            assertThat(later.processes()).isEqualTo(2);
            assertThat(later.cpuNanosSince(first)).isPositive();
            assertThat(later.residentSetMiB()).isPositive();
        } finally {
            shell.descendants().forEach(ProcessHandle::destroyForcibly);
            shell.destroyForcibly();
            assertThat(shell.waitFor(10, TimeUnit.SECONDS)).isTrue();
        }
        assertThatThrownBy(() -> ProcessTreeUsage.sample(shell.pid()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("it has exited");
    }

    @Test
    void theListeningProcessIsFoundByItsPort() throws IOException {
        try (ServerSocket listening = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assertThat(ProcessTreeUsage.pidListeningOn(listening.getLocalPort())).hasValue(ProcessHandle.current().pid());
        }
    }

    @Test
    void onlyListeningSocketsOfThePortAreTaken() {
        List<String> table = List.of(
                "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode",
                "   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 111 1 0 100 0 0 10 0",
                "   1: 0100007F:1F90 0100007F:D431 01 00000000:00000000 00:00000000 00000000     0        0 222 1 0 20 4 30 10 -1",
                "   2: 0100007F:1F91 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 333 1 0 100 0 0 10 0");
        assertThat(ProcessTreeUsage.listeningInodes(table, 8080)).containsExactly("111");
    }

    private static ProcessTreeUsage awaitTree(long pid, int processes) throws InterruptedException {
        ProcessTreeUsage usage = ProcessTreeUsage.sample(pid);
        for (int i = 0; i < 500 && usage.processes() < processes; i++) {
            Thread.sleep(10);
            usage = ProcessTreeUsage.sample(pid);
        }
        return usage;
    }
}
