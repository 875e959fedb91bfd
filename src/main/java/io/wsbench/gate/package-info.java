/**
 * The regression gate: compares a run with a baseline (or two builds run side by side), decides what is a real
 * slowdown, and exports results for CI dashboards. Imports {@code results}.
 */
package io.wsbench.gate;
