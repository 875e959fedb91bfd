package io.wsbench.placement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Parsing a placement and laying it out on a machine's CPUs, with every refusal naming the cause and the way out. */
class PlacementTest {
    private static final String LINUX = "Linux";
    private static final CpuSet TWO_CPUS = CpuSet.parse("0-1", ',');

    @Test
    void cpuListsReadAndWriteAsLinuxWritesThem() {
        CpuSet cpus = CpuSet.parse("0-2,5,7-8", ',');
        assertThat(cpus).hasToString("0-2,5,7-8");
        assertThat(cpus.size()).isEqualTo(6);
        assertThat(CpuSet.parse("3+1", '+')).isEqualTo(CpuSet.of(1, 3));
        assertThat(cpus.containsAll(CpuSet.of(1, 8))).isTrue();
        assertThat(cpus.containsAll(CpuSet.of(1, 6))).isFalse();
        assertThatThrownBy(() -> CpuSet.parse("2-x", ',')).hasMessageContaining("'2-x' in CPU list '2-x' is not a CPU number");
        assertThatThrownBy(() -> CpuSet.parse("3-1", ',')).hasMessageContaining("is not a CPU number or a range");
    }

    @Test
    void sharedPutsClientAndServerOnTheFirstCpuAndTheJvmOnTheRest() {
        CpuPlan plan = Placement.parse("shared").plan(CpuSet.parse("0-3", ','), LINUX);
        assertThat(plan.client()).isEqualTo(CpuSet.of(0));
        assertThat(plan.server()).isEqualTo(CpuSet.of(0));
        assertThat(plan.other()).hasToString("1-3");
        assertThat(plan.pins()).isTrue();
    }

    @Test
    void splitOnTwoCpusLeavesTheJvmsOtherThreadsOnBoth() {
        CpuPlan plan = Placement.parse("split").plan(TWO_CPUS, LINUX);
        assertThat(plan.describe()).isEqualTo("client 0, server 1, other 0-1");
        assertThat(Placement.parse("split").plan(CpuSet.parse("0-3", ','), LINUX).other()).hasToString("2-3");
    }

    @Test
    void sharedOnOneCpuRunsEverythingThere() {
        assertThat(Placement.parse("shared").plan(CpuSet.of(3), LINUX).describe()).isEqualTo("client 3, server 3, other 3");
    }

    @Test
    void explicitCpusAreTakenAsGivenAndWrittenBackTheSameWay() {
        assertThat(Placement.parse("split:0+2/1-1")).hasToString("split:0+2/1");
        assertThatThrownBy(() -> Placement.parse("split:0+2/1-3")).hasMessageContaining("client 0,2 and server 1-3 share a CPU");
        Placement disjoint = Placement.parse("split:1/0");
        assertThat(disjoint.plan(TWO_CPUS, LINUX).describe()).isEqualTo("client 1, server 0, other 0-1");
        assertThat(Placement.parse("shared:1").plan(TWO_CPUS, LINUX).other()).isEqualTo(CpuSet.of(0));
    }

    @Test
    void splitOnAJvmAllowedOneCpuNamesThatCpuAndTheWayOut() {
        assertThatThrownBy(() -> Placement.parse("split").plan(CpuSet.of(0), LINUX))
                .hasMessage("placement=split needs two CPUs, and this JVM may run on CPU 0 only (taskset, a cgroup's"
                        + " cpuset or the machine): allow it two CPUs, or use -p placement=shared");
    }

    @Test
    void aCpuThatDoesNotExistIsNamedWithTheOnesThatDo() {
        assertThatThrownBy(() -> Placement.parse("split:0/7").plan(TWO_CPUS, LINUX))
                .hasMessageContaining("names CPU 7, which does not exist or this JVM may not use: it may run on 0-1");
    }

    @Test
    void pinningOutsideLinuxSaysWhyAndNoneStillWorks() {
        assertThatThrownBy(() -> Placement.parse("shared").plan(CpuSet.of(), "Mac OS X"))
                .hasMessageContaining("pins threads with Linux's sched_setaffinity, and this is Mac OS X")
                .hasMessageContaining("-p placement=none");
        assertThat(Placement.parse("none").plan(CpuSet.of(), "Mac OS X").pins()).isFalse();
    }

    @Test
    void anUnknownPlacementListsTheValidOnes() {
        assertThatThrownBy(() -> Placement.parse("pinned")).hasMessageStartingWith("unknown placement 'pinned': use shared")
                .hasMessageContaining("split:0/1");
        assertThatThrownBy(() -> Placement.parse("split:0")).hasMessageContaining("split takes CLIENT/SERVER");
        assertThatThrownBy(() -> Placement.parse("none:1")).hasMessageContaining("none takes no CPUs");
    }
}
