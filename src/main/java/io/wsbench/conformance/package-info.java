/**
 * The conformance suite: Autobahn|Testsuite's cases (sections 1–7, 9, 10, 12–13, numbered as there) as data, sent as
 * raw frames from one client connection per case, judged by Autobahn's rules (OK / NON-STRICT / FAILED /
 * INFORMATIONAL / UNIMPLEMENTED and the close behaviour), and the Markdown and HTML reports. Imports {@code wire},
 * {@code server} and {@code servers}.
 */
package io.wsbench.conformance;
