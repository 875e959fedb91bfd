package io.wsbench.docs;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Every {@code wsbench.*} system property the code reads is in docs/method.md's table, named with its class, and no other. */
class SystemPropertiesTest {

    private static final Pattern LITERAL = Pattern.compile("\"(wsbench\\.[A-Za-z.]+[A-Za-z])\"");
    private static final Pattern TABLE_ROW = Pattern.compile("^\\| `(wsbench\\.[A-Za-z.]+)` \\| ([^|]+) \\|", Pattern.MULTILINE);
    private static final List<Path> SOURCES = List.of(Path.of("src/main/java"), Path.of("src/jmh/java"),
            Path.of("src/java21/java"), Path.of("src/test/java/io/wsbench/testing"));

    @Test
    void everyPropertyTheCodeReadsIsInTheTableWithTheClassThatReadsIt() {
        Map<String, String> inCode = new TreeMap<>();
        for (Path root : SOURCES) {
            if (!Files.isDirectory(root)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(root)) {
                files.filter(f -> f.toString().endsWith(".java")).forEach(f -> {
                    Matcher m = LITERAL.matcher(read(f));
                    while (m.find()) {
                        inCode.merge(m.group(1), className(f), (a, b) -> a + ", " + b);
                    }
                });
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        Map<String, String> inTable = new TreeMap<>();
        Matcher row = TABLE_ROW.matcher(read(Path.of("docs/method.md")));
        while (row.find()) {
            inTable.put(row.group(1), row.group(2));
        }
        assertThat(inCode).as("wsbench.* literals in the sources").isNotEmpty();
        assertThat(inTable.keySet()).as("docs/method.md's System properties table against the properties the code reads")
                .containsExactlyElementsOf(inCode.keySet());
        inCode.forEach((property, classes) -> assertThat(classes)
                .as(property + " is declared once, in one class (then referred to by its constant)").doesNotContain(","));
        inCode.forEach((property, declaringClass) -> assertThat(inTable.get(property))
                .as("the table's 'read by' of " + property).contains(declaringClass));
    }

    private static String className(Path file) {
        String name = file.getFileName().toString();
        return name.substring(0, name.length() - ".java".length());
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
