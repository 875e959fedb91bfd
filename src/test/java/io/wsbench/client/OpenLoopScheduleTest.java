package io.wsbench.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Due times spread a total rate evenly over the connections, and impossible rates fail with the fix. */
class OpenLoopScheduleTest {

    @Test
    void sendsAreEvenlySpacedAndTakeTheConnectionsInTurn() {
        OpenLoopSchedule schedule = new OpenLoopSchedule(1000, 4); // a send every 1 ms, each connection every 4 ms
        assertThat(schedule.perConnectionInterval()).isEqualTo(Duration.ofMillis(4));
        assertThat(schedule.dueNanos(100, 0, 0)).isEqualTo(100);
        assertThat(schedule.dueNanos(100, 1, 0)).isEqualTo(100 + 1_000_000);
        assertThat(schedule.dueNanos(100, 3, 0)).isEqualTo(100 + 3_000_000);
        assertThat(schedule.dueNanos(100, 0, 1)).isEqualTo(100 + 4_000_000);
        assertThat(schedule.dueNanos(100, 2, 1_000_000)).as("no drift after a million rounds").isEqualTo(100 + 4_000_002_000_000L);
    }

    @Test
    void aTickPutsEveryDueTimeOnItsGridWithoutChangingTheRate() {
        // 10 000 msg/s over 100 connections: evenly a send every 100 us; with a 1 ms tick ten sends share each tick.
        OpenLoopSchedule ticked = new OpenLoopSchedule(10_000, 100, Duration.ofMillis(1));
        long start = 1_000_000_000L;
        long tick = 1_000_000L;
        int[] perTick = new int[100];
        for (long send = 0; send < 1000; send++) {
            long due = ticked.dueNanos(start, (int) (send % 100), send / 100);
            assertThat((due - start) % tick).as("send %d is due on the tick grid", send).isZero();
            long even = new OpenLoopSchedule(10_000, 100).dueNanos(start, (int) (send % 100), send / 100);
            assertThat(due).as("never later than its even time, less than a tick earlier").isBetween(even - tick + 1, even);
            perTick[(int) ((due - start) / tick)]++;
        }
        assertThat(perTick).containsOnly(10);
        assertThatThrownBy(() -> new OpenLoopSchedule(10, 1, Duration.ofMillis(-1))).hasMessageContaining("tick must not be negative");
    }

    @Test
    void rejectsRatesThatAreNotPositive() {
        assertThatThrownBy(() -> new OpenLoopSchedule(0, 10)).hasMessageContaining("rate must be a positive number").hasMessageContaining("-p rate=");
        assertThatThrownBy(() -> new OpenLoopSchedule(-5, 10)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rejectsARateTooLowForEveryConnectionToSendInAnIteration() {
        OpenLoopSchedule schedule = new OpenLoopSchedule(100, 1000); // each connection every 10 s
        assertThatThrownBy(() -> schedule.requireEveryConnectionSendsWithin(Duration.ofSeconds(2)))
                .hasMessageContaining("every 10.000 s, longer than an iteration (2.000 s)")
                .hasMessageContaining("raise -p rate to at least 500");
        new OpenLoopSchedule(500, 1000).requireEveryConnectionSendsWithin(Duration.ofSeconds(2));
    }

    @Test
    void unknownLoadModelNamesTheValidOnes() {
        assertThat(LoadModel.parse("Open")).isEqualTo(LoadModel.OPEN);
        assertThatThrownBy(() -> LoadModel.parse("poisson")).hasMessageContaining("unknown load model 'poisson'")
                .hasMessageContaining("use closed").hasMessageContaining("or open");
    }
}
