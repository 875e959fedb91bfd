/**
 * Reports made from result files: markdown tables (round trip against the floors, load, soak) with their notes (steady
 * state, conformance deviations), latency and throughput charts, merged histogram logs, and the figures a document
 * quotes, copied from their files ({@link io.wsbench.report.ReadmeFigures}). Imports {@code results}, and from {@code
 * servers} only the registry ({@code EchoServers.names()}), whose order the rows keep.
 */
package io.wsbench.report;
