/**
 * Reports made from result files: markdown tables (round trip against the floors, load, soak), latency and
 * throughput charts, merged histogram logs. Imports {@code results}.
 */
package io.wsbench.report;
