package io.wsbench.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReadmeFiguresTest {

    private static final String REPORT = """
            # a run

            ### 64 B · placement=shared

            | server | round trips/s | server CPU µs/rt | vs socket |
            |---|---:|---:|---:|
            | netty | 60,000 ± 3,000 | 7.50 | 0.80× |
            | jetty ⚠ | 45,000 ± 9,000 ↕ | 12.0 | 0.60× |
            | socket | 75,000 ± 1,500 | 6.40 | 1.00× |

            ### 64 B · placement=split

            | server | round trips/s | server CPU µs/rt | vs socket |
            |---|---:|---:|---:|
            | netty | 19,000 ± 2,000 | 25.0 | 1.06× |
            | jetty | 20,000 ± 3,000 | 41.0 | 1.11× |
            | socket | 18,000 ± 500 | 20.5 | 1.00× |
            """;
    private static final String DEFINE = "<!-- figures define run from=run/report.md; shared=64 B · placement=shared; "
            + "split=64 B · placement=split -->\n";

    @TempDir
    Path root;

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"README.md", "docs/results.md"})
    void everyFigureInTheDocumentEqualsItsFile(String document) {
        Path path = Path.of(document).toAbsolutePath();
        String text = read(path);
        assertThat(text).contains("<!-- figures table");
        assertThat(ReadmeFigures.differences(text, ReadmeFigures.repositoryRoot(path)))
                .as("figures in " + document + " that differ from their files; run scripts/report --figures " + document)
                .isEmpty();
    }

    @Test
    void aReadmeFigureThatDiffersFromItsFileIsNamed() {
        Path readme = Path.of("README.md").toAbsolutePath();
        String text = read(readme);
        String stale = text.replaceFirst("(<!-- figures range [^>]*-->)[^<]*(<!-- /figures -->)", "$1 9.99× $2");
        List<ReadmeFigures.Difference> differences = ReadmeFigures.differences(stale, ReadmeFigures.repositoryRoot(readme));
        assertThat(differences).hasSize(1);
        assertThat(differences.get(0).toString()).contains("says '9.99×'").contains("figures range");
    }

    @Test
    void aTableTakesColumnsFromSeveralSectionsWithMarksAndRatios() throws IOException {
        String doc = DEFINE + "<!-- figures table use=run; columns=shared round trips/s, shared round trips/s ±%, "
                + "split round trips/s vs socket; title=one connection -->\n<!-- /figures -->\n";
        String written = regenerate(doc);
        assertThat(written).contains("| one connection | shared: round trips/s | shared: round trips/s ±% | split: round trips/s vs socket |")
                .contains("| netty | 60,000 ± 3,000 | 5.0 % | 1.06× |")
                .contains("| jetty | 45,000 ± 9,000 ↕ ⚠ | 20.0 % | 1.11× |")
                .contains("| socket (floor) | 75,000 ± 1,500 | 2.0 % | 1.00× |");
        assertThat(ReadmeFigures.differences(written, root)).isEmpty();
    }

    @Test
    void aRangeIsTheLowestAndHighestOfItsRows() throws IOException {
        assertThat(regenerate(DEFINE + "at <!-- figures range use=run; cell=shared vs socket; rows=servers -->x<!-- /figures -->"))
                .endsWith("-->0.60–0.80×<!-- /figures -->");
        assertThat(regenerate(DEFINE + "<!-- figures range use=run; cell=split server CPU µs/rt; rows=* -->x<!-- /figures -->"))
                .endsWith("-->20.5–41.0<!-- /figures -->");
        assertThat(regenerate(DEFINE + "<!-- figures range use=run; cell=shared round trips/s; rows=socket -->x<!-- /figures -->"))
                .endsWith("-->75,000<!-- /figures -->");
    }

    @Test
    void aMatchIsTheGroupOfTheNthOccurrence() throws IOException {
        Files.writeString(root.resolve("floor.md"), "median split: 18700 round trips/s\nmedian split: 30775 round trips/s\n");
        String doc = "<!-- figures match from=floor.md; pattern=median split: (\\d+); occurrence=2 -->0<!-- /figures -->";
        assertThat(regenerate(doc)).endsWith("-->30775<!-- /figures -->");
    }

    @Test
    void aMissingSectionOrRowIsAClearError() throws IOException {
        regenerate("");
        assertThatThrownBy(() -> ReadmeFigures.regenerate("<!-- figures range from=run/report.md; x=64 B · placement=none; "
                + "cell=x vs socket; rows=netty -->0<!-- /figures -->", root))
                .isInstanceOf(ReportInputException.class).hasMessageContaining("no section '### 64 B · placement=none'");
        assertThatThrownBy(() -> ReadmeFigures.regenerate(DEFINE + "<!-- figures range use=run; cell=shared vs socket; "
                + "rows=tomcat -->0<!-- /figures -->", root))
                .isInstanceOf(ReportInputException.class).hasMessageContaining("no row 'tomcat' in section shared");
        assertThatThrownBy(() -> ReadmeFigures.regenerate("<!-- figures range use=nothing; cell=a b; rows=* -->0<!-- /figures -->", root))
                .isInstanceOf(ReportInputException.class).hasMessageContaining("uses 'nothing'");
    }

    @Test
    void checkFiguresExitsOneNamingTheStaleFigureAndFiguresRewritesIt() throws IOException {
        Path doc = root.resolve("README.md");
        Files.writeString(root.resolve("pom.xml"), "<project/>");
        Files.writeString(doc, DEFINE + "<!-- figures range use=run; cell=shared vs socket; rows=netty -->0.70×<!-- /figures -->\n");
        writeReport();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
        PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        assertThat(Report.run(new String[] {"--check-figures", doc.toString()}, out, errStream)).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("says '0.70×' but its file gives '0.80×'");
        assertThat(Report.run(new String[] {"--figures", doc.toString()}, out, errStream)).isZero();
        assertThat(read(doc)).contains("-->0.80×<!-- /figures -->");
        assertThat(Report.run(new String[] {"--check-figures", doc.toString()}, out, errStream)).isZero();
    }

    private String regenerate(String doc) throws IOException {
        writeReport();
        return ReadmeFigures.regenerate(doc, root);
    }

    private void writeReport() throws IOException {
        Files.createDirectories(root.resolve("run"));
        Files.writeString(root.resolve("run/report.md"), REPORT);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
