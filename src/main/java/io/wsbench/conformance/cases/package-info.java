/**
 * What the conformance suite asks and how it judges the answer: Autobahn|Testsuite's cases (sections 1–7, 9, 10,
 * 12–13, numbered as there) as data and generators, the steps and events of a case, and Autobahn's verdict rules
 * (OK / NON-STRICT / FAILED / INFORMATIONAL / UNIMPLEMENTED and the close behaviour) as pure functions. Imports
 * {@code wire} only: nothing here opens a connection or writes a report.
 */
package io.wsbench.conformance.cases;
