package io.wsbench.report;

import io.wsbench.results.JdkMerge;
import io.wsbench.results.JmhResultFile;
import io.wsbench.testing.MarkdownTables;
import io.wsbench.testing.ReportJson;

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

/** scripts/bench --jdk: runs on two JDKs merged into one file, reported per JDK and side by side. */
class ParamComparisonTest {

    @TempDir
    Path dir;

    @Test
    void aMergedFileGivesEachResultItsJdkAndTheReportPutsEachServerOnEachJdkSideBySide() throws IOException {
        Path jdk17 = new ReportJson()
                .throughput("netty", "64", "text", 20_000, 400).throughput("socket", "64", "text", 40_000, 500)
                .throughput("rawtcp", "64", "text", 25_000, 500)
                .write(dir.resolve("roundtrip-jdk17.json")); // jetty's trial failed on JDK 17: no result

        Path jdk25 = new ReportJson()
                .throughput("netty", "64", "text", 30_000, 600).throughput("socket", "64", "text", 40_000, 500)
                .throughput("rawtcp", "64", "text", 30_000, 500).throughput("helidon", "64", "text", 12_000, 300)
                .throughput("jetty", "64", "text", 21_000, 300)
                .write(dir.resolve("roundtrip-jdk25.json"));
        Files.writeString(jdk25, Files.readString(jdk25).replace("17.0.15", "25.0.1"));
        Path merged = dir.resolve("roundtrip.json");

        JdkMerge.merge(merged, List.of(jdk17, jdk25));

        assertThat(JmhResultFile.read(merged).results()).extracting(r -> r.params().get(JdkMerge.JDK))
                .containsExactly("17", "17", "17", "25", "25", "25", "25", "25");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int exit = RoundTripTable.run(new String[] {merged.toString()}, new PrintStream(out, true, StandardCharsets.UTF_8),
                System.err);
        String markdown = out.toString(StandardCharsets.UTF_8);

        assertThat(exit).isZero();
        assertThat(markdown).contains("OpenJDK 64-Bit Server VM 17.0.15 and OpenJDK 64-Bit Server VM 25.0.1");
        // Per JDK, each server over that JDK's own floors.
        assertThat(MarkdownTables.row(markdown, "64 B · text · JDK 17", "netty").get(7)).isEqualTo("0.50×");
        assertThat(MarkdownTables.row(markdown, "64 B · text · JDK 25", "netty").get(7)).isEqualTo("0.75×");
        String jdk17Table = markdown.substring(markdown.indexOf("### 64 B · text · JDK 17"),
                markdown.indexOf("### 64 B · text · JDK 25"));
        assertThat(jdk17Table).as("helidon needs Java 21: not tried on JDK 17, which is not a failure").doesNotContain("helidon");
        assertThat(MarkdownTables.row(markdown, "64 B · text · JDK 17", "jetty").get(1))
                .as("a server JDK 17 runs, with no result there, failed").isEqualTo(Markdown.FAILED);
        // Side by side: the score on each JDK, then the ratio of the last to the first.
        assertThat(MarkdownTables.row(markdown, "Each server on each JDK", "netty"))
                .containsExactly("netty", "20,000", "30,000", "—", "—", "1.50×");
        assertThat(MarkdownTables.row(markdown, "Each server on each JDK", "helidon"))
                .containsExactly("helidon", "—", "12,000", "—", "—", "—");
    }

    @Test
    void aResultWithoutAJdkVersionIsRefusedNamingTheFile() throws IOException {
        Path file = dir.resolve("odd.json");
        Files.writeString(file, "[{\"benchmark\": \"x\", \"mode\": \"thrpt\", \"params\": {}}]");

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> JdkMerge.merge(dir.resolve("out.json"), List.of(file)))
                .hasMessageContaining(file.toString()).hasMessageContaining("no jdkVersion");
    }
}
