package io.wsbench.conformance;

import io.wsbench.conformance.cases.ConformanceCase;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The conformance results as one self-contained HTML page: the data, styles and script inline, nothing fetched at
 * view time. Filters by server, section and verdict (also settable in the address's fragment, e.g.
 * {@code #server=jetty&verdict=FAILED}); a click on a case shows the frames sent and received.
 */
public final class ConformanceHtml {

    /** The element whose {@code data-shown} attribute is the number of rows the filters leave; read by the page's test. */
    public static final String STATUS_ID = "shown";

    private ConformanceHtml() {
    }

    public static String page(Map<String, String> facts, List<ConformanceReport.ServerRun> runs) {
        StringBuilder json = new StringBuilder("{\"facts\":{");
        int f = 0;
        for (Map.Entry<String, String> fact : facts.entrySet()) {
            json.append(f++ == 0 ? "" : ",").append(str(fact.getKey())).append(':').append(str(fact.getValue()));
        }
        // What a case is (its text, requirement, expectation) is written once, not once per server, and so is each
        // frame line and result text, most of which recur across servers: the runs hold indexes.
        Table catalogue = new Table();
        Table texts = new Table();
        StringBuilder servers = new StringBuilder();
        for (int s = 0; s < runs.size(); s++) {
            ConformanceReport.ServerRun run = runs.get(s);
            servers.append(s == 0 ? "" : ",").append("{\"name\":").append(str(run.server()))
                    .append(",\"failure\":").append(run.failure() == null ? "null" : str(run.failure())).append(",\"cases\":[");
            for (int c = 0; c < run.results().size(); c++) {
                CaseResult result = run.results().get(c);
                int k = catalogue.index(caseJson(result.testCase()));
                servers.append(c == 0 ? "" : ",").append(resultJson(result, k, texts));
            }
            servers.append("]}");
        }
        json.append("},\"shownHead\":").append(CaseResult.Transcript.SHOWN_HEAD)
                .append(",\"catalogue\":[").append(String.join(",", catalogue.entries()))
                .append("],\"texts\":[").append(String.join(",", texts.entries().stream().map(ConformanceHtml::str).toList()))
                .append("],\"servers\":[").append(servers).append("]}");
        // "</" would end the script element early.
        String data = json.toString().replace("</", "<\\/");
        return PAGE.replace("@STATUS_ID@", STATUS_ID).replace("@DATA@", data);
    }

    private static String caseJson(ConformanceCase c) {
        return "{\"section\":" + str(c.section()) + ",\"sent\":" + str(c.description()) + ",\"rfc\":" + str(c.rfc())
                + ",\"expected\":" + str(ConformanceReport.expectation(c)) + "}";
    }

    /** Each distinct entry once, numbered in the order first seen. */
    private static final class Table {
        private final Map<String, Integer> numbers = new LinkedHashMap<>();

        int index(String entry) {
            return numbers.computeIfAbsent(entry, e -> numbers.size());
        }

        List<String> entries() {
            return List.copyOf(numbers.keySet());
        }

        String indexes(List<String> entries) {
            return "[" + String.join(",", entries.stream().map(e -> String.valueOf(index(e))).toList()) + "]";
        }
    }

    /**
     * One run of case {@code k} of the catalogue, its result and frame lines as indexes into {@code texts}; the usual
     * values (no extension, still up, no time) are left out.
     */
    private static String resultJson(CaseResult r, int k, Table texts) {
        StringBuilder json = new StringBuilder("{");
        json.append("\"id\":").append(str(r.testCase().id())).append(",\"k\":").append(k);
        if (r.problem() != null) {
            json.append(",\"verdict\":\"NOT RUN\",\"close\":\"\",\"closedBy\":\"\",\"result\":").append(texts.index(r.problem()));
        } else {
            json.append(",\"verdict\":").append(str(r.verdict().behaviour().label()))
                    .append(",\"close\":").append(str(r.verdict().close().label()))
                    .append(r.verdict().isDeviation() ? ",\"deviation\":true" : "")
                    .append(",\"closedBy\":").append(str(r.close().describe()))
                    .append(",\"result\":").append(texts.index(ConformanceReport.result(r)));
        }
        if (!r.extensions().isEmpty()) {
            json.append(",\"extensions\":").append(texts.index(r.extensions()));
        }
        if (r.echoTime() != null) {
            json.append(",\"ms\":").append(r.echoTime().toMillis());
        }
        if (!r.stillUp().up()) {
            json.append(",\"stillUp\":").append(str("no: " + r.stillUp().detail()));
        }
        json.append(",\"caseMs\":").append(r.elapsed().toMillis())
                .append(",\"framesSent\":").append(r.transcript().sentFrames())
                .append(",\"framesReceived\":").append(r.transcript().receivedFrames())
                .append(",\"tx\":").append(texts.indexes(r.transcript().sent()))
                .append(",\"rx\":").append(texts.indexes(r.transcript().received()))
                .append('}');
        return json.toString();
    }

    /** A JSON string literal. */
    static String str(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            switch (ch) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (ch < 0x20 || ch == '\u2028' || ch == '\u2029') {
                        out.append(String.format("\\u%04x", (int) ch));
                    } else {
                        out.append(ch);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    private static final String PAGE = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <title>WebSocket conformance of the embedded servers</title>
            <style>
            body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5em; color: #222; }
            table { border-collapse: collapse; margin: .5em 0 1.5em; }
            th, td { border: 1px solid #ccc; padding: 2px 6px; text-align: left; vertical-align: top; }
            th { background: #f0f0f0; }
            tr.case { cursor: pointer; }
            tr.case:hover { background: #f6f6ff; }
            .OK { background: #cfc; } .NON-STRICT { background: #ffc; } .FAILED { background: #fcc; }
            .INFORMATIONAL { background: #ddf; } .UNIMPLEMENTED { background: #eee; } .NOT-RUN { background: #f99; }
            .closebad { background: #fdb; }
            pre { margin: 0; white-space: pre-wrap; font-size: 12px; }
            label { margin-right: 1em; }
            #facts li { font-size: 12px; }
            </style>
            </head>
            <body>
            <h1>WebSocket conformance of the embedded servers</h1>
            <p>Cases numbered as in Autobahn|Testsuite and judged by its rules; see conformance.md for the legend.
            Click a case to see the frames sent and received.</p>
            <ul id="facts"></ul>
            <h2>Summary</h2>
            <table id="summary"><thead><tr><th>server</th><th>cases</th><th>OK</th><th>NON-STRICT</th><th>FAILED</th>
            <th>INFORMATIONAL</th><th>UNIMPLEMENTED</th><th>NOT RUN</th><th>deviations</th></tr></thead><tbody></tbody></table>
            <h2>Cases</h2>
            <p>
            <label>server <select id="server"><option value="">all</option></select></label>
            <label>section <select id="section"><option value="">all</option></select></label>
            <label>verdict <select id="verdict"><option value="">all</option><option value="deviation">any deviation</option>
            <option>OK</option><option>NON-STRICT</option><option>FAILED</option><option>INFORMATIONAL</option>
            <option>UNIMPLEMENTED</option><option>NOT RUN</option></select></label>
            <span id="@STATUS_ID@" data-shown="0"></span>
            </p>
            <table id="cases"><thead><tr><th>server</th><th>case</th><th>sent</th><th>verdict</th><th>close</th>
            <th>closed by, code</th><th>ms</th></tr></thead><tbody></tbody></table>
            <script type="application/json" id="data">@DATA@</script>
            <script>
            "use strict";
            const data = JSON.parse(document.getElementById("data").textContent);
            for (const server of data.servers) {
              for (const c of server.cases) {
                Object.assign(c, data.catalogue[c.k]);
                c.result = data.texts[c.result];
                c.extensions = c.extensions === undefined ? "" : data.texts[c.extensions];
                c.tx = c.tx.map(i => data.texts[i]);
                c.rx = c.rx.map(i => data.texts[i]);
              }
            }
            const byId = id => document.getElementById(id);
            function cell(row, text, cls) {
              const td = row.insertCell();
              td.textContent = text == null ? "" : String(text);
              if (cls) { td.className = cls; }
              return td;
            }
            for (const [label, value] of Object.entries(data.facts)) {
              const li = document.createElement("li");
              li.textContent = label + ": " + value;
              byId("facts").appendChild(li);
            }
            const sections = [];
            for (const server of data.servers) {
              byId("server").add(new Option(server.name, server.name));
              const row = byId("summary").tBodies[0].insertRow();
              cell(row, server.name);
              if (server.failure) { cell(row, "run failed: " + server.failure); continue; }
              cell(row, server.cases.length);
              for (const v of ["OK", "NON-STRICT", "FAILED", "INFORMATIONAL", "UNIMPLEMENTED", "NOT RUN"]) {
                cell(row, server.cases.filter(c => c.verdict === v).length);
              }
              cell(row, server.cases.filter(c => c.deviation).length);
              for (const c of server.cases) {
                if (!sections.includes(c.section)) { sections.push(c.section); }
              }
            }
            for (const s of sections) { byId("section").add(new Option(s, s)); }
            function details(c) {
              const lines = ["sent: " + c.sent, "requirement: " + c.rfc, "expected: " + c.expected,
                "result: " + c.result, "extensions accepted: " + (c.extensions || "none"),
                "still up after: " + (c.stillUp || "yes")];
              frames(lines, "sent", "  > ", c.tx, c.framesSent);
              frames(lines, "received", "  < ", c.rx, c.framesReceived);
              return lines.join("\\n");
            }
            // Past a few frames the transcript keeps the first data.shownHead and the last few.
            function frames(lines, direction, mark, shown, count) {
              lines.push("", "frames " + direction + " (" + count + "):");
              shown.forEach((t, i) => {
                if (i === data.shownHead && count > shown.length) {
                  lines.push("  … " + (count - shown.length) + " frames left out");
                }
                lines.push(mark + t);
              });
            }
            function render() {
              const server = byId("server").value, section = byId("section").value, verdict = byId("verdict").value;
              const body = byId("cases").tBodies[0];
              body.replaceChildren();
              let shown = 0;
              for (const s of data.servers) {
                if (server && s.name !== server) { continue; }
                for (const c of s.cases) {
                  if (section && c.section !== section) { continue; }
                  if (verdict === "deviation" ? !c.deviation : verdict && c.verdict !== verdict) { continue; }
                  shown++;
                  const row = body.insertRow();
                  row.className = "case";
                  cell(row, s.name);
                  cell(row, c.id);
                  cell(row, c.sent);
                  cell(row, c.verdict, c.verdict.replace(" ", "-"));
                  cell(row, c.close, c.close && c.close !== "OK" && c.close !== "INFORMATIONAL" ? "closebad" : "");
                  cell(row, c.closedBy);
                  cell(row, c.ms);
                  row.addEventListener("click", () => {
                    const next = row.nextElementSibling;
                    if (next && next.classList.contains("detail")) { next.remove(); return; }
                    const detail = body.insertRow(row.sectionRowIndex + 1);
                    detail.className = "detail";
                    const td = detail.insertCell();
                    td.colSpan = 7;
                    const pre = document.createElement("pre");
                    pre.textContent = details(c);
                    td.appendChild(pre);
                  });
                }
              }
              byId("@STATUS_ID@").dataset.shown = String(shown);
              byId("@STATUS_ID@").textContent = shown + " cases shown";
            }
            const params = new URLSearchParams(location.hash.slice(1));
            for (const name of ["server", "section", "verdict"]) {
              if (params.has(name)) { byId(name).value = params.get(name); }
              byId(name).addEventListener("change", render);
            }
            render();
            </script>
            </body>
            </html>
            """;
}
