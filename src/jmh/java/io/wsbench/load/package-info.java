/**
 * Load benchmarks: many connections under a closed or an open loop, with coordinated-omission-corrected latency.
 */
package io.wsbench.load;
