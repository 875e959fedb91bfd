package io.wsbench.conformance;

import io.wsbench.wire.Frame;
import io.wsbench.wire.Opcode;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ConformanceCasesTest {

    private static final int MAX = 1 << 20;
    private static final Map<String, ConformanceCase> CASES = ConformanceCases.all(MAX).stream()
            .collect(Collectors.toMap(ConformanceCase::id, Function.identity()));

    @Test
    void idsAreUnique() {
        assertThat(CASES).hasSameSizeAs(ConformanceCases.all(MAX));
    }

    @Test
    void coversEveryCategoryOfTheIssueAndThePositiveControls() {
        Set<String> categories = new HashSet<>();
        CASES.values().forEach(c -> categories.add(c.category()));
        assertThat(categories).contains("positive control", "masking", "reserved bits", "unknown opcode",
                "control frames", "fragmentation", "invalid UTF-8", "close frame", "message size");
        assertThat(CASES).containsKeys("valid-text", "valid-fragmented-text", "ping-pong", "ping-between-fragments",
                "close-1000", "unmasked-text", "ping-126-bytes", "ping-fragmented", "continuation-without-start",
                "invalid-utf8-surrogate", "invalid-utf8-second-fragment", "close-1-byte", "close-code-999",
                "close-code-1005", "close-code-1006", "close-code-1015", "close-code-5000", "close-reason-invalid-utf8",
                "oversize-single-frame", "oversize-fragmented");
    }

    @Test
    void expectsTheStatusCodesOfSection7_4_1() {
        assertThat(((Expected.FailConnection) CASES.get("unmasked-text").expected()).code()).isEqualTo(1002);
        assertThat(((Expected.FailConnection) CASES.get("invalid-utf8-across-fragments").expected()).code()).isEqualTo(1007);
        assertThat(((Expected.FailConnection) CASES.get("oversize-fragmented").expected()).code()).isEqualTo(1009);
        assertThat(CASES.get("close-1000").expected()).isEqualTo(new Expected.CloseReply(1000));
    }

    @Test
    void onlyTheUnmaskedCaseSendsUnmaskedFrames() {
        CASES.values().forEach(c -> assertThat(c.send()).as(c.id())
                .allMatch(f -> f.masked() != c.id().equals("unmasked-text")));
    }

    @Test
    void oversizeMessagesAreOneByteOverTheLimitAndFragmentsEachFitUnderIt() {
        List<Frame> single = CASES.get("oversize-single-frame").send();
        assertThat(single).singleElement().satisfies(f -> assertThat(f.payloadLength()).isEqualTo(MAX + 1));

        List<Frame> fragments = CASES.get("oversize-fragmented").send();
        assertThat(fragments).hasSize(ConformanceCases.OVERSIZE_FRAGMENTS);
        assertThat(fragments.stream().mapToInt(Frame::payloadLength).sum()).isEqualTo(MAX + 1);
        assertThat(fragments).allMatch(f -> f.payloadLength() <= MAX);
        assertThat(fragments.get(0).opcode()).isEqualTo(Opcode.BINARY);
        assertThat(fragments.subList(1, fragments.size())).allMatch(f -> f.opcode() == Opcode.CONTINUATION);
        assertThat(fragments).extracting(Frame::fin).containsOnlyOnce(true);
        assertThat(fragments.get(fragments.size() - 1).fin()).isTrue();
    }

    @Test
    void splitTextIsValidUtf8AsAWholeButNotPerFrame() {
        List<Frame> split = CASES.get("valid-utf8-codepoint-split").send();
        assertThat(new String(split.get(0).payload(), java.nio.charset.StandardCharsets.UTF_8)).contains("\uFFFD");
        assertThat(CASES.get("valid-utf8-codepoint-split").acceptingReplies()).singleElement()
                .satisfies(f -> assertThat(new String(f.payload(), java.nio.charset.StandardCharsets.UTF_8))
                        .isEqualTo("\u03BA\u1F79\u03C3\u03BC\u03B5")); // "κόσμε" with U+1F79, as Autobahn has it
    }

    @Test
    void aSmallLimitDropsThe64BitControlButKeepsTheOversizeCases() {
        Map<String, ConformanceCase> small = ConformanceCases.all(1000).stream()
                .collect(Collectors.toMap(ConformanceCase::id, Function.identity()));
        assertThat(small).doesNotContainKey("valid-binary-64bit-length");
        assertThat(small.get("oversize-single-frame").send().get(0).payloadLength()).isEqualTo(1001);
    }
}
