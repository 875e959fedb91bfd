package io.wsbench.client.framing;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.Gson;
import com.google.gson.JsonParser;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** JSON string literals both ways, checked against Gson as an independent implementation. */
class JsonTextTest {
    private static final int SAMPLES = 2000;

    @Test
    void whatIsWrittenParsesBackToTheSameTextInGson() {
        SplittableRandom random = new SplittableRandom(1);
        for (int i = 0; i < SAMPLES; i++) {
            String text = randomText(random);
            String json = write(text);
            assertThat(JsonParser.parseString(json).getAsString()).as(json).isEqualTo(text);
        }
    }

    @Test
    void onlyWhatJsonRequiresIsEscaped() {
        assertThat(write("plain àÿ text")).isEqualTo("\"plain àÿ text\"");
        assertThat(write("q\"b\\s/")).isEqualTo("\"q\\\"b\\\\s/\"");
        assertThat(write("\n\r\t\b\f\u0001\u001f")).isEqualTo("\"\\n\\r\\t\\b\\f\\u0001\\u001f\"");
    }

    @Test
    void whatGsonAndPythonWriteIsReadBackToTheSameBytes() {
        SplittableRandom random = new SplittableRandom(2);
        Gson gson = new Gson(); // escapes <, >, &, =, ' and U+2028/9 as \\u escapes, writes other non-ASCII raw
        for (int i = 0; i < SAMPLES; i++) {
            String text = randomText(random);
            for (String json : new String[] {gson.toJson(text), asciiOnly(text)}) {
                assertThat(read(json)).as(json).isEqualTo(text);
            }
        }
    }

    @Test
    void surrogatePairsBecomeOneFourByteCharacter() {
        assertThat(read("\"\\ud83d\\ude00\"")).isEqualTo("\uD83D\uDE00");
        assertThat(readBytes("\"\\ud83d\\ude00\"")).isEqualTo("\uD83D\uDE00".getBytes(UTF_8)).hasSize(4);
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"no end", "\"bad \\x escape\"", "\"short \\u12\"", "\"bad hex \\u12g4\"", "\"lone \\ud83d high\"",
        "\"lone \\ude00 low\"", "\"pair \\ud83d\\u0041\"", "\"raw \u0001 control\"", "no quote"})
    void malformedLiteralsAreRefusedSayingWhy(String json) {
        ByteBuf in = Unpooled.copiedBuffer(json, UTF_8);
        assertThatThrownBy(() -> JsonText.readString(in, 0, Unpooled.buffer()))
                .isInstanceOf(JsonText.MalformedJsonException.class)
                .hasMessageMatching(".*(offset|closing quote).*");
    }

    @Test
    void readingStopsAfterTheClosingQuote() throws Exception {
        ByteBuf in = Unpooled.copiedBuffer("[\"a\\\"b\" ,1]", UTF_8);
        ByteBuf out = Unpooled.buffer();
        int next = JsonText.readString(in, 1, out);
        assertThat(out.toString(UTF_8)).isEqualTo("a\"b");
        assertThat(JsonText.skipWhitespace(in, next)).isEqualTo(in.writerIndex() - 3);
    }

    private static String write(String text) {
        ByteBuf out = Unpooled.buffer();
        JsonText.writeString(Unpooled.copiedBuffer(text, UTF_8), out);
        return out.toString(UTF_8);
    }

    private static String read(String json) {
        return new String(readBytes(json), UTF_8);
    }

    private static byte[] readBytes(String json) {
        ByteBuf out = Unpooled.buffer();
        try {
            int next = JsonText.readString(Unpooled.copiedBuffer(json, UTF_8), 0, out);
            assertThat(next).isEqualTo(json.getBytes(UTF_8).length);
        } catch (JsonText.MalformedJsonException e) {
            throw new AssertionError(json + ": " + e.getMessage(), e);
        }
        byte[] bytes = new byte[out.readableBytes()];
        out.readBytes(bytes);
        return bytes;
    }

    /** What Python's json.dumps writes by default: every non-ASCII UTF-16 unit as a lowercase backslash-u escape. */
    private static String asciiOnly(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20 || c > 0x7e) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }

    /** Up to 40 code points: ASCII with quotes and backslashes, control characters, Latin-1, other BMP, astral. */
    private static String randomText(SplittableRandom random) {
        StringBuilder text = new StringBuilder();
        int length = random.nextInt(40);
        for (int i = 0; i < length; i++) {
            int kind = random.nextInt(6);
            int codePoint = switch (kind) {
                case 0 -> random.nextInt(0x20);
                case 1 -> "\"\\/".charAt(random.nextInt(3));
                case 2 -> 0xA0 + random.nextInt(0x60);
                case 3 -> 0x800 + random.nextInt(0xD000);
                case 4 -> 0x10000 + random.nextInt(0x10000);
                default -> 0x20 + random.nextInt(0x5F);
            };
            text.appendCodePoint(codePoint);
        }
        return text.toString();
    }
}
