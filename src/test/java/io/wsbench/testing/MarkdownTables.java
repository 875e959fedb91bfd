package io.wsbench.testing;

import java.util.Arrays;
import java.util.List;

/** Reads rows back out of the report's markdown, so tests assert on cells rather than on layout. */
public final class MarkdownTables {

    private MarkdownTables() {
    }

    /**
     * The cells of the row whose first cell is {@code firstCell}, in the first table after the
     * {@code ###} heading that starts with {@code heading}.
     */
    public static List<String> row(String markdown, String heading, String firstCell) {
        List<String> lines = markdown.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith("### " + heading)) {
                return rowFrom(lines, i + 1, firstCell, markdown);
            }
        }
        throw new AssertionError("no heading '### " + heading + "…' in:\n" + markdown);
    }

    /** The header row of the first table after the heading. */
    public static List<String> header(String markdown, String heading) {
        return row(markdown, heading, "server");
    }

    /** The row starting with {@code firstCell} in the first table of {@code markdown}. */
    public static List<String> firstTableRow(String markdown, String firstCell) {
        return rowFrom(markdown.lines().toList(), 0, firstCell, markdown);
    }

    /** The header row of the first table of {@code markdown}. */
    public static List<String> headerOfFirstTable(String markdown) {
        return markdown.lines().map(MarkdownTables::cells).filter(c -> !c.isEmpty()).findFirst()
                .orElseThrow(() -> new AssertionError("no table in:\n" + markdown));
    }

    private static List<String> rowFrom(List<String> lines, int start, String firstCell, String markdown) {
        for (int i = start; i < lines.size() && !lines.get(i).startsWith("#"); i++) {
            List<String> cells = cells(lines.get(i));
            if (!cells.isEmpty() && cells.get(0).equals(firstCell)) {
                return cells;
            }
        }
        throw new AssertionError("no row '" + firstCell + "' in the table in:\n" + markdown);
    }

    private static List<String> cells(String line) {
        if (!line.startsWith("| ")) {
            return List.of();
        }
        String inner = line.substring(2, line.length() - 2);
        return Arrays.stream(inner.split(" \\| ", -1)).map(String::strip).toList();
    }
}
