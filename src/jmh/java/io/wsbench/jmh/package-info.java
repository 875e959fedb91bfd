/**
 * The scaffold every benchmark shares: the state that starts what is measured (an embedded server or a URL), the base
 * class of the load-style benchmarks and the driver interface it runs ({@link io.wsbench.jmh.AbstractLoadBenchmark}), the
 * profiler that adds the load metrics to JMH's results, and JMH's async-profiler and JFR profilers with a short folder
 * per trial (scripts/profile). JMH-specific; the library under src/main knows nothing of it.
 */
package io.wsbench.jmh;
