/**
 * Connection-scale benchmarks: many mostly idle connections, what they cost the server in memory, how fast they open.
 */
package io.wsbench.idle;
