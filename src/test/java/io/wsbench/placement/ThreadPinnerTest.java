package io.wsbench.placement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Pinning real threads of this JVM by their Linux ids, reading back what the kernel has, and naming a thread that left
 * its set. The plan leaves every other thread on all of the JVM's CPUs, so the test runner's threads keep their CPUs.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ThreadPinnerTest {
    private final CountDownLatch done = new CountDownLatch(1);

    @AfterEach
    void endThreads() {
        done.countDown();
    }

    @Test
    void javaThreadIdsAreReadFromBothDumpFormats() {
        String dump = """
                "main" #1 prio=5 os_prio=0 cpu=383.85ms elapsed=0.48s tid=0x00007fed78018040 nid=0xd0f waiting on condition
                "GC Thread#1" os_prio=0 cpu=4.92ms elapsed=0.25s tid=0x00007f42100062d0 nid=3383 runnable
                "name with "quotes" #9" #23 [3365] daemon prio=5 os_prio=0 cpu=448.98ms tid=0x00007f425802aa70 nid=3365 runnable
                """;
        NativeThreadIds ids = NativeThreadIds.parse(dump);
        assertThat(ids.javaThreads()).containsOnly(java.util.Map.entry(1L, 0xd0fL), java.util.Map.entry(23L, 3365L));
        assertThat(ids.all()).containsOnly(0xd0fL, 3383L, 3365L);
    }

    @Test
    void eachRolesThreadsArePinnedAndReadBackAndAThreadOffItsSetIsNamed() throws Exception {
        assumeTrue(System.getProperty("os.name").startsWith("Linux"), "pinning is Linux's sched_setaffinity");
        CpuSet jvm = ThreadPinner.jvmCpus();
        assumeTrue(jvm.size() >= 2, "two CPUs to split client and server");
        Thread server = parked("test-placement-server");
        Thread client = parked("test-placement-client");
        CpuPlan plan = new CpuPlan(Placement.parse("split"), CpuSet.of(jvm.nth(0)), CpuSet.of(jvm.nth(1)), jvm);
        ThreadPinner pinner = new ThreadPinner(plan, t -> t == server, t -> t == client, OptionalLong::empty);

        pinner.pin();

        assertThat(pinner.misplaced()).isEmpty();
        assertThat(pinner.describe()).contains("as run: server 1 thread on " + jvm.nth(1) + "; client 1 thread on "
                + jvm.nth(0) + "; other ");

        // A server thread started by a client thread inherits the client's CPU until the next pin().
        CountDownLatch pinned = new CountDownLatch(1);
        Thread starter = new Thread(() -> {
            try {
                if (pinned.await(10, TimeUnit.SECONDS)) {
                    parked("test-placement-late-server");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "test-placement-client-2");
        starter.start();
        ThreadPinner withLate = new ThreadPinner(plan, t -> t == server || t.getName().endsWith("late-server"),
                t -> t == client || t == starter, OptionalLong::empty);
        withLate.pin();
        pinned.countDown();
        starter.join(10_000);
        List<String> misplaced = withLate.misplaced();
        assertThat(misplaced).singleElement().asString()
                .startsWith("server thread 'test-placement-late-server' (tid ")
                .contains("may run on CPUs " + jvm.nth(0) + ", outside its " + jvm.nth(1));
        withLate.pin();
        assertThat(withLate.misplaced()).isEmpty();
    }

    private Thread parked(String name) {
        Thread thread = new Thread(() -> {
            try {
                done.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }
}
