package io.wsbench.metrics;

import java.util.Arrays;
import java.util.List;

/** Reads rows back out of the report's markdown, so tests assert on cells rather than on layout. */
final class MarkdownTables {

    private MarkdownTables() {
    }

    /**
     * The cells of the row whose first cell is {@code firstCell}, in the first table after the
     * {@code ###} heading that starts with {@code heading}.
     */
    static List<String> row(String markdown, String heading, String firstCell) {
        List<String> lines = markdown.lines().toList();
        int start = -1;
        for (int i = 0; i < lines.size() && start < 0; i++) {
            if (lines.get(i).startsWith("### " + heading)) {
                start = i;
            }
        }
        if (start < 0) {
            throw new AssertionError("no heading '### " + heading + "…' in:\n" + markdown);
        }
        for (int i = start + 1; i < lines.size() && !lines.get(i).startsWith("#"); i++) {
            List<String> cells = cells(lines.get(i));
            if (!cells.isEmpty() && cells.get(0).equals(firstCell)) {
                return cells;
            }
        }
        throw new AssertionError("no row '" + firstCell + "' under '### " + heading + "…' in:\n" + markdown);
    }

    /** The header row of the first table after the heading. */
    static List<String> header(String markdown, String heading) {
        return row(markdown, heading, "server");
    }

    private static List<String> cells(String line) {
        if (!line.startsWith("| ")) {
            return List.of();
        }
        String inner = line.substring(2, line.length() - 2);
        return Arrays.stream(inner.split(" \\| ", -1)).map(String::strip).toList();
    }
}
