package io.wsbench.report;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The figures a prose document quotes, copied by a program from the committed files they come from, so that a quoted
 * figure cannot drift from its run. A figure is written between two HTML comments (invisible once rendered), the first
 * naming where it comes from:
 *
 * <pre>
 * &lt;!-- figures table from=results/bench/RUN/report.md; shared=64 B · text · placement=shared; split=…;
 *      columns=shared round trips/s, shared vs socket, split round trips/s; title=one connection --&gt;
 * …the generated markdown table…
 * &lt;!-- /figures --&gt;
 * the event-loop servers at &lt;!-- figures range from=…/report.md; shared=…; cell=shared vs socket; rows=netty,vertx --&gt;0.87–0.87×&lt;!-- /figures --&gt;
 * &lt;!-- figures match from=results/floor/X.md; pattern=median shared: (\d+); occurrence=1 --&gt;66939&lt;!-- /figures --&gt;
 * </pre>
 *
 * A section alias ({@code shared=HEADING}) names a table of a markdown report by its {@code ###} heading; a column is
 * {@code ALIAS HEADER} (the cell as the report has it), {@code ALIAS HEADER vs FLOOR} (the number over the floor row's,
 * when the report has no such column), {@code ALIAS HEADER ±%} (the ± as a percentage of the score) or {@code
 * conformance} (the Autobahn sections where the server has a case not OK, from {@code results/conformance.md}). {@code table}
 * gives a row per server of the first section; {@code range} the lowest–highest of one cell over {@code rows} (a comma
 * list, {@code *} for every row, or {@code servers} for every row but the floors); {@code match} the first group of the {@code occurrence}-th match of a regular
 * expression. {@code <!-- figures define NAME KEY=VALUE; … -->} (no closing comment) names entries once that a figure
 * then takes with {@code use=NAME}. Paths are relative to the document's repository root.
 *
 * <p>{@code scripts/report --figures FILE…} rewrites the figures in place; {@code --check-figures FILE…} exits 1 naming
 * every figure that differs from its file (run by the tests, so a stale figure fails the build).
 */
public final class ReadmeFigures {

    private static final Pattern FIGURE = Pattern.compile("<!-- figures (table|range|match) (.+?) -->(.*?)<!-- /figures -->",
            Pattern.DOTALL);
    /** A named set of KEY=VALUE entries that figures take with {@code use=NAME}, so a long source is spelled once. */
    private static final Pattern DEFINE = Pattern.compile("<!-- figures define (\\w+) (.+?) -->");
    private static final Pattern NUMBER = Pattern.compile("-?[0-9][0-9,]*(\\.[0-9]+)?");
    private static final String FLOOR_LABEL = " (floor)";
    /** A table column of the Autobahn sections each server deviates in ({@link Markdown#conformanceDeviations}). */
    private static final String CONFORMANCE_COLUMN = "conformance";
    private static final String CONFORMANCE_HEADER = "conformance: sections not all OK";

    /** One figure that differs from what its source gives now. */
    record Difference(String spec, String written, String expected) {
        @Override
        public String toString() {
            return "figure <!-- figures " + spec + " --> says '" + written.strip() + "' but its file gives '" + expected.strip()
                    + "'";
        }
    }

    private ReadmeFigures() {
    }

    /** {@code --figures FILE…} rewrites, {@code --check-figures FILE…} checks; returns the exit status. */
    static int run(boolean check, List<String> files, PrintStream out, PrintStream err) {
        int status = 0;
        for (String name : files) {
            Path document = Path.of(name).toAbsolutePath();
            try {
                String text = Files.readString(document, StandardCharsets.UTF_8);
                Path root = repositoryRoot(document);
                if (check) {
                    List<Difference> differences = differences(text, root);
                    differences.forEach(d -> err.println(name + ": " + d
                            + "; run scripts/report --figures " + name + " after committing the run it quotes"));
                    if (!differences.isEmpty()) {
                        status = 1;
                    }
                } else {
                    String written = regenerate(text, root);
                    if (!written.equals(text)) {
                        Files.writeString(document, written, StandardCharsets.UTF_8);
                    }
                    out.println(name + ": " + FIGURE.matcher(text).results().count() + " figures from their files");
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return status;
    }

    /** The repository a document lives in: the nearest folder above it with a pom.xml. */
    static Path repositoryRoot(Path document) {
        for (Path dir = document.getParent(); dir != null; dir = dir.getParent()) {
            if (Files.exists(dir.resolve("pom.xml"))) {
                return dir;
            }
        }
        throw new ReportInputException(document + " is not inside a folder with a pom.xml; figures' paths are relative to it");
    }

    /** {@code text} with every figure recomputed from its file. */
    static String regenerate(String text, Path root) {
        Map<String, String> defines = defines(text);
        Matcher m = FIGURE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String body = compute(m.group(1), m.group(2), defines, root);
            m.appendReplacement(out, Matcher.quoteReplacement(
                    "<!-- figures " + m.group(1) + " " + m.group(2) + " -->" + body + "<!-- /figures -->"));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** The figures of {@code text} that differ from what their files give. */
    static List<Difference> differences(String text, Path root) {
        Map<String, String> defines = defines(text);
        List<Difference> differences = new ArrayList<>();
        Matcher m = FIGURE.matcher(text);
        while (m.find()) {
            String expected = compute(m.group(1), m.group(2), defines, root);
            if (!expected.equals(m.group(3))) {
                differences.add(new Difference(m.group(1) + " " + m.group(2), m.group(3), expected));
            }
        }
        return differences;
    }

    private static Map<String, String> defines(String text) {
        Map<String, String> defines = new LinkedHashMap<>();
        DEFINE.matcher(text).results().forEach(d -> defines.put(d.group(1), d.group(2)));
        return defines;
    }

    private static String compute(String kind, String specText, Map<String, String> defines, Path root) {
        Map<String, String> spec = new LinkedHashMap<>();
        Map<String, String> own = parse(specText);
        String use = own.remove("use");
        if (use != null) {
            String defined = defines.get(use);
            if (defined == null) {
                throw new ReportInputException("figure '" + specText + "' uses '" + use + "', which no <!-- figures define "
                        + use + " … --> in the document defines");
            }
            spec.putAll(parse(defined));
        }
        spec.putAll(own);
        Path source = root.resolve(required(spec, "from", specText));
        String sourceText;
        try {
            sourceText = Files.readString(source, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ReportInputException("figure '" + specText + "' reads " + source + ", which cannot be read ("
                    + e.getMessage() + "); commit the run, or correct from=");
        }
        if (kind.equals("match")) {
            return match(sourceText, spec, specText);
        }
        Map<String, Map<String, Map<String, String>>> sections = new LinkedHashMap<>();
        spec.forEach((key, value) -> {
            if (!List.of("from", "columns", "title", "cell", "rows").contains(key)) {
                sections.put(key, section(sourceText, value, source));
            }
        });
        if (sections.isEmpty()) {
            throw new ReportInputException("figure '" + specText + "' names no section (ALIAS=### heading of " + source + ")");
        }
        return kind.equals("table") ? "\n" + table(sections, spec, specText, root) : range(sections, spec, specText);
    }

    private static String match(String sourceText, Map<String, String> spec, String specText) {
        Matcher m = Pattern.compile(required(spec, "pattern", specText)).matcher(sourceText);
        int occurrence = Integer.parseInt(spec.getOrDefault("occurrence", "1"));
        for (int i = 0; i < occurrence; i++) {
            if (!m.find()) {
                throw new ReportInputException("figure '" + specText + "': pattern matches " + i + " times, not " + occurrence);
            }
        }
        return m.group(1);
    }

    private static String table(Map<String, Map<String, Map<String, String>>> sections, Map<String, String> spec,
            String specText, Path root) {
        Map<String, List<String>> deviations = Map.of();
        if (spec.get("columns").contains(CONFORMANCE_COLUMN)) {
            try {
                deviations = Markdown.conformanceDeviations(Files.readAllLines(root.resolve(Markdown.CONFORMANCE_FILE)));
            } catch (IOException e) {
                throw new ReportInputException("figure '" + specText + "' has a conformance column but "
                        + Markdown.CONFORMANCE_FILE + " cannot be read (" + e.getMessage() + "); run scripts/conformance");
            }
        }
        List<String> columns = List.of(required(spec, "columns", specText).split(",\\s*"));
        List<String> header = new ArrayList<>();
        header.add(spec.getOrDefault("title", "server"));
        columns.forEach(c -> header.add(c.equals(CONFORMANCE_COLUMN) ? CONFORMANCE_HEADER : c.replaceFirst(" ", ": ")));
        List<List<String>> rows = new ArrayList<>();
        for (String server : sections.values().iterator().next().keySet()) {
            List<String> row = new ArrayList<>();
            row.add(RoundTripTable.FLOORS.contains(server) ? server + FLOOR_LABEL : server);
            for (String c : columns) {
                row.add(c.equals(CONFORMANCE_COLUMN) ? conformanceCell(deviations, server) : cell(sections, c, server, specText));
            }
            rows.add(row);
        }
        return Markdown.table(header, rows);
    }

    /** The Autobahn sections where {@code server} has a case not OK, by number; "none", or — for a server not run. */
    private static String conformanceCell(Map<String, List<String>> deviations, String server) {
        List<String> sections = deviations.get(server);
        if (sections == null) {
            return Markdown.NONE;
        }
        return sections.isEmpty() ? "none" : sections.stream().map(s -> s.split(" ", 2)[0]).collect(java.util.stream.Collectors.joining(", "));
    }

    private static String range(Map<String, Map<String, Map<String, String>>> sections, Map<String, String> spec,
            String specText) {
        String column = required(spec, "cell", specText);
        String rowList = required(spec, "rows", specText);
        Map<String, Map<String, String>> section = sections.get(column.split(" ", 2)[0]);
        List<String> servers = switch (rowList) {
            case "*" -> section == null ? List.of() : List.copyOf(section.keySet());
            case "servers" -> section == null ? List.of()
                    : section.keySet().stream().filter(s -> !RoundTripTable.FLOORS.contains(s)).toList();
            default -> List.of(rowList.split(",\\s*"));
        };
        if (servers.isEmpty()) {
            throw new ReportInputException("figure '" + specText + "': cell '" + column + "' names no section with rows");
        }
        String lowest = null;
        String highest = null;
        for (String server : servers) {
            String value = leadingNumber(cell(sections, column, server, specText), specText);
            if (lowest == null || number(value) < number(lowest)) {
                lowest = value;
            }
            if (highest == null || number(value) > number(highest)) {
                highest = value;
            }
        }
        if (lowest.equals(highest)) {
            return lowest;
        }
        Matcher low = NUMBER.matcher(lowest);
        low.find();
        return low.group() + "–" + highest;
    }

    /** One cell: {@code ALIAS HEADER}, {@code ALIAS HEADER vs FLOOR} or {@code ALIAS HEADER ±%}, for {@code server}. */
    private static String cell(Map<String, Map<String, Map<String, String>>> sections, String column, String server,
            String specText) {
        String[] aliasAndHeader = column.split(" ", 2);
        Map<String, Map<String, String>> section = sections.get(aliasAndHeader[0]);
        if (section == null || aliasAndHeader.length < 2) {
            throw new ReportInputException("figure '" + specText + "': column '" + column + "' does not start with a section"
                    + " alias (" + String.join(", ", sections.keySet()) + ") and a header");
        }
        String header = aliasAndHeader[1];
        Map<String, String> row = section.get(server);
        if (row == null) {
            throw new ReportInputException("figure '" + specText + "': no row '" + server + "' in section " + aliasAndHeader[0]);
        }
        if (row.containsKey(header)) {
            return row.get(header);
        }
        if (header.endsWith(" ±%")) {
            String score = value(row, header.substring(0, header.length() - 3), specText);
            String[] parts = score.split(" ± ");
            if (parts.length < 2) {
                throw new ReportInputException("figure '" + specText + "': '" + score + "' has no ±");
            }
            return String.format(Locale.ROOT, "%.1f %%", 100 * number(leadingNumber(parts[1], specText))
                    / number(leadingNumber(parts[0], specText)));
        }
        int vs = header.lastIndexOf(" vs ");
        if (vs > 0) {
            String measured = header.substring(0, vs);
            Map<String, String> floor = section.get(header.substring(vs + 4));
            if (floor == null) {
                throw new ReportInputException("figure '" + specText + "': no floor row '" + header.substring(vs + 4) + "'");
            }
            return String.format(Locale.ROOT, "%.2f×", number(leadingNumber(value(row, measured, specText), specText))
                    / number(leadingNumber(value(floor, measured, specText), specText)));
        }
        return value(row, header, specText);
    }

    private static String value(Map<String, String> row, String header, String specText) {
        String value = row.get(header);
        if (value == null) {
            throw new ReportInputException("figure '" + specText + "': no column '" + header + "' (columns: "
                    + String.join(", ", row.keySet()) + ")");
        }
        return value;
    }

    /**
     * The table under {@code ### heading} in a markdown report: server (its marks moved onto the first value cell,
     * so that a ⚠ stays with the figures it qualifies) → header → cell.
     */
    static Map<String, Map<String, String>> section(String markdown, String heading, Path source) {
        List<String> lines = markdown.lines().toList();
        int start = lines.indexOf("### " + heading);
        if (start < 0) {
            throw new ReportInputException(source + " has no section '### " + heading + "'");
        }
        List<String> header = null;
        Map<String, Map<String, String>> rows = new LinkedHashMap<>();
        for (int i = start + 1; i < lines.size() && !lines.get(i).startsWith("#"); i++) {
            String line = lines.get(i);
            if (!line.startsWith("|")) {
                if (header != null) {
                    break;
                }
                continue;
            }
            List<String> cells = cells(line);
            if (header == null) {
                header = cells;
            } else if (!cells.get(0).startsWith("---")) {
                String server = cells.get(0);
                String marks = "";
                int space = server.indexOf(' ');
                if (space > 0) {
                    marks = server.substring(space);
                    server = server.substring(0, space);
                }
                Map<String, String> row = new LinkedHashMap<>();
                for (int c = 1; c < cells.size() && c < header.size(); c++) {
                    row.put(header.get(c), cells.get(c));
                }
                String scoreHeader = header.get(firstScoreColumn(header));
                row.put(scoreHeader, row.get(scoreHeader) + marks);
                rows.put(server, row);
            }
        }
        if (rows.isEmpty()) {
            throw new ReportInputException(source + ": section '### " + heading + "' has no table");
        }
        return rows;
    }

    /** The column that carries a row's marks: the score (round trips/s or msg/s), else the first after the server. */
    private static int firstScoreColumn(List<String> header) {
        for (int c = 1; c < header.size(); c++) {
            if (header.get(c).endsWith("/s")) {
                return c;
            }
        }
        return 1;
    }

    private static List<String> cells(String line) {
        String inner = line.strip();
        inner = inner.substring(1, inner.endsWith("|") ? inner.length() - 1 : inner.length());
        List<String> cells = new ArrayList<>();
        for (String cell : inner.split("\\|", -1)) {
            cells.add(cell.strip());
        }
        return cells;
    }

    private static String leadingNumber(String cell, String specText) {
        Matcher m = NUMBER.matcher(cell);
        if (!m.find()) {
            throw new ReportInputException("figure '" + specText + "': '" + cell + "' is not a number");
        }
        int end = m.end();
        // keep a unit glued to the number (0.87×), not what follows a space (± 2,401, ↕)
        while (end < cell.length() && !Character.isWhitespace(cell.charAt(end))) {
            end++;
        }
        return cell.substring(m.start(), end);
    }

    private static double number(String text) {
        Matcher m = NUMBER.matcher(text);
        m.find();
        return Double.parseDouble(m.group().replace(",", ""));
    }

    private static Map<String, String> parse(String specText) {
        Map<String, String> spec = new LinkedHashMap<>();
        for (String entry : specText.split(";\\s*")) {
            int equals = entry.indexOf('=');
            if (equals <= 0) {
                throw new ReportInputException("figure '" + specText + "': '" + entry + "' is not KEY=VALUE");
            }
            spec.put(entry.substring(0, equals).strip(), entry.substring(equals + 1).strip());
        }
        return spec;
    }

    private static String required(Map<String, String> spec, String key, String specText) {
        String value = spec.get(key);
        if (value == null) {
            throw new ReportInputException("figure '" + specText + "' needs " + key + "=");
        }
        return value;
    }
}
