/**
 * Where the threads of a trial run: the {@code placement} a benchmark asks for ({@link io.wsbench.placement.Placement}:
 * client and server on one CPU, on two disjoint CPU sets, or left to the scheduler), the CPU sets it comes to on this
 * machine ({@link io.wsbench.placement.CpuPlan}), and pinning every thread of this JVM (and of a server's own process)
 * to its role's set by Linux thread id ({@link io.wsbench.placement.ThreadPinner}), read back from {@code /proc} as
 * it ran. Linux only, through {@code sched_setaffinity}. Imports nothing of the project.
 */
package io.wsbench.placement;
