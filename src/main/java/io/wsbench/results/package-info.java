/**
 * The files a run leaves: JMH's JSON read into a model ({@link io.wsbench.results.JmhResultFile}) and the run
 * record written beside it (command, JVM, machine). Imports nothing of the project.
 */
package io.wsbench.results;
