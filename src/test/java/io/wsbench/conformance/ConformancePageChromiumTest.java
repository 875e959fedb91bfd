package io.wsbench.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.wsbench.servers.EchoServers;
import io.wsbench.testing.MachineRequirement;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The committed results/conformance.html in a real browser, Debian's headless Chromium: it loads with no console
 * message (an error in the page's script would be one), lists every JVM WebSocket server, and its filters, set
 * through the address's fragment, show the rows they should.
 */
class ConformancePageChromiumTest {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path PAGE = Path.of("results", "conformance.html");
    private static final long BROWSER_LIMIT_SECONDS = 60;
    private static final Pattern SHOWN = Pattern.compile("id=\"" + ConformanceHtml.STATUS_ID + "\" data-shown=\"(\\d+)\"");

    @BeforeAll
    static void needsChromium() {
        MachineRequirement.require(Files.isExecutable(CHROMIUM), "Debian's chromium (apt-get install -y chromium)");
    }

    /** The page's DOM once its script ran, and what Chromium logged. */
    private record Loaded(String dom, String log) {
        int shown() {
            Matcher m = SHOWN.matcher(dom);
            assertThat(m.find()).as("the page's row count element").isTrue();
            return Integer.parseInt(m.group(1));
        }
    }

    private static Loaded load(String fragment) throws IOException, InterruptedException {
        Path dom = Files.createTempFile("conformance-dom", ".html");
        Path log = Files.createTempFile("conformance-chromium", ".log");
        try {
            Process chromium = new ProcessBuilder(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                    "--enable-logging=stderr", "--v=0", "--dump-dom",
                    PAGE.toAbsolutePath().toUri() + (fragment.isEmpty() ? "" : "#" + fragment))
                    .redirectOutput(dom.toFile()).redirectError(log.toFile()).start();
            if (!chromium.waitFor(BROWSER_LIMIT_SECONDS, TimeUnit.SECONDS)) {
                chromium.destroyForcibly().waitFor(BROWSER_LIMIT_SECONDS, TimeUnit.SECONDS);
                throw new AssertionError("chromium did not finish within " + BROWSER_LIMIT_SECONDS + " s");
            }
            assertThat(chromium.exitValue()).as("chromium's exit status; its log:\n" + Files.readString(log)).isZero();
            return new Loaded(Files.readString(dom, StandardCharsets.UTF_8), Files.readString(log, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(dom);
            Files.deleteIfExists(log);
        }
    }

    @Test
    void loadsWithoutAConsoleMessageAndListsEveryJvmServer() throws Exception {
        assertThat(PAGE).as("run scripts/conformance to write it").exists();
        Loaded page = load("");

        assertThat(page.log()).doesNotContain(":CONSOLE");
        List<String> servers = EchoServers.webSocketNames();
        assertThat(servers).allSatisfy(server -> assertThat(page.dom()).contains("<td>" + server + "</td>"));
        assertThat(page.shown()).isGreaterThanOrEqualTo(300 * servers.size());
    }

    @Test
    void theFiltersLeaveOnlyTheChosenServerSectionAndVerdict() throws Exception {
        int jetty = load("server=jetty").shown();
        int jettyFraming = load("server=jetty&section=1").shown();
        Loaded framingOk = load("server=jetty&section=1&verdict=OK");

        assertThat(jetty).isGreaterThanOrEqualTo(300);
        assertThat(jettyFraming).isEqualTo(16);
        assertThat(framingOk.shown()).isLessThanOrEqualTo(jettyFraming);
        assertThat(framingOk.dom()).doesNotContain("<td>netty</td><td>1.");
        assertThat(framingOk.log()).doesNotContain(":CONSOLE");
    }
}
