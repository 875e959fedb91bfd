/**
 * What runs inside the benchmark JVM to record a trial: latency histograms and their logs, CPU by thread,
 * process memory, the CPU and memory of a server process outside the JVM ({@link io.wsbench.record.ProcessTreeUsage}),
 * the achieved rate. Nothing here reads result files. Imports nothing of the project.
 */
package io.wsbench.record;
