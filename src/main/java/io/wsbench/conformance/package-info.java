/**
 * Runs the conformance cases of {@code conformance.cases} against the servers and reports them: the runner (one raw
 * connection per case, every wait bounded, a still-up check after each), the command line, and the Markdown and
 * self-contained HTML reports. Imports {@code conformance.cases}, {@code wire}, {@code server} and {@code servers}.
 */
package io.wsbench.conformance;
