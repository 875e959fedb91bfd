package io.wsbench.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The benchmark tables' note naming each server's conformance deviations, read from results/conformance.md. */
class ConformanceNoteTest {

    private static final String VERDICTS = """
            # WebSocket conformance of the embedded servers

            ## Verdicts per section

            Cases that are OK (or INFORMATIONAL) with an OK close, of all the section's cases run; **bold** where any deviates.

            | section | netty | vertx | tomcat |
            |---|---|---|---|
            | 1 framing | 16/16 | 16/16 | 16/16 |
            | 6 UTF-8 | **143/145** | **68/145** | 145/145 |
            | 7 close | **27/37** | 37/37 | 37/37 |

            ## permessage-deflate: what each server accepted
            | server | offer |
            |---|---|
            | netty | **bold but another table** |
            """;

    @TempDir
    Path repo;

    @Test
    void theBoldSectionsAreEachServersDeviations() {
        assertThat(Markdown.conformanceDeviations(VERDICTS.lines().toList()))
                .containsEntry("netty", List.of("6 UTF-8 143/145", "7 close 27/37"))
                .containsEntry("vertx", List.of("6 UTF-8 68/145"))
                .containsEntry("tomcat", List.of())
                .hasSize(3);
    }

    @Test
    void aResultFileInTheRepositoryGetsTheNoteForItsServersOnly() throws IOException {
        Files.writeString(repo.resolve("pom.xml"), "<project/>");
        Files.createDirectories(repo.resolve("results/bench/run"));
        Files.writeString(repo.resolve(Markdown.CONFORMANCE_FILE), VERDICTS);
        Path json = repo.resolve("results/bench/run/roundtrip.json");

        String note = Markdown.conformanceNote(json, List.of("vertx", "tomcat", "socket"));
        assertThat(note).startsWith("- Conformance deviations").contains("results/conformance.md")
                .contains("vertx: 6 UTF-8 68/145; tomcat: none.").doesNotContain("netty").doesNotContain("socket");
        assertThat(Markdown.conformanceNote(json, List.of("socket", "rawtcp"))).as("floors are not in the run").isEmpty();
        Files.delete(repo.resolve(Markdown.CONFORMANCE_FILE));
        assertThat(Markdown.conformanceNote(json, List.of("vertx"))).as("no conformance run committed").isEmpty();
    }
}
