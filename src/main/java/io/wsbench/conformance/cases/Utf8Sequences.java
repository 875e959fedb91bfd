package io.wsbench.conformance.cases;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * The byte sequences of Autobahn's cases 6.5 to 6.23, in its order: Markus Kuhn's UTF-8 decoder stress test
 * (boundaries, overlong forms, surrogates, truncated and impossible bytes) and the valid non-characters and specials.
 * Each group becomes one subsection, each sequence one case.
 */
final class Utf8Sequences {

    /** The subsection number of the first group. */
    static final int FIRST_SUBSECTION = 5;

    /** One sequence and whether it is valid UTF-8 (RFC 3629). */
    record Sequence(boolean valid, byte[] bytes) {
        String hex() {
            return HexFormat.of().formatHex(bytes);
        }
    }

    record Group(String title, List<Sequence> sequences) {
    }

    /** "κόσμε", the suite's sample text (11 bytes, code points of 2 and 3 bytes). */
    static final byte[] KOSME = hex("cebae1bdb9cf83cebcceb5");

    private Utf8Sequences() {
    }

    static List<Group> groups() {
        List<Group> groups = new ArrayList<>();
        groups.add(group("Some valid UTF-8 sequences", true, "68656c6c6f24776f726c64", "68656c6c6fc2a2776f726c64",
                "68656c6c6fe282ac776f726c64", "68656c6c6ff0a4ada2776f726c64", "cebae1bdb9cf83cebcceb5"));
        List<Sequence> prefixes = new ArrayList<>();
        for (int length = 1; length <= KOSME.length; length++) {
            byte[] prefix = Arrays.copyOf(KOSME, length);
            prefixes.add(new Sequence(isValid(prefix), prefix));
        }
        groups.add(new Group("All prefixes of a valid UTF-8 string that contains multi-byte code points", prefixes));
        groups.add(group("First possible sequence of a certain length", true, "00", "c280", "e0a080", "f0908080"));
        groups.add(group("First possible sequence length 5/6 (invalid codepoints)", false, "f888808080", "fc8480808080"));
        groups.add(group("Last possible sequence of a certain length", true, "7f", "dfbf", "efbfbf", "f48fbfbf"));
        groups.add(group("Last possible sequence length 4/5/6 (invalid codepoints)", false, "f7bfbfbf", "fbbfbfbfbf",
                "fdbfbfbfbfbf"));
        List<Sequence> boundaries = new ArrayList<>(group("", true, "ed9fbf", "ee8080", "efbfbd", "f48fbfbf").sequences());
        boundaries.add(new Sequence(false, hex("f4908080")));
        groups.add(new Group("Other boundary conditions", boundaries));
        List<Sequence> continuations = new ArrayList<>(group("", false, "80", "bf", "80bf", "80bf80", "80bf80bf",
                "80bf80bf80", "80bf80bf80bf").sequences());
        continuations.add(new Sequence(false, range(0x80, 0xbf, false)));
        groups.add(new Group("Unexpected continuation bytes", continuations));
        List<Sequence> lonely = new ArrayList<>();
        for (int[] starts : new int[][] {{0xc0, 0xdf}, {0xe0, 0xef}, {0xf0, 0xf7}, {0xf8, 0xfb}, {0xfc, 0xfd}}) {
            lonely.add(new Sequence(false, range(starts[0], starts[1], true)));
        }
        groups.add(new Group("Lonely start characters", lonely));
        String[] missingLast = {"c0", "e080", "f08080", "f8808080", "fc80808080", "df", "efbf", "f7bfbf", "fbbfbfbf",
                "fdbfbfbfbf"};
        groups.add(group("Sequences with last continuation byte missing", false, missingLast));
        groups.add(group("Concatenation of incomplete sequences", false, String.join("", missingLast)));
        groups.add(group("Impossible bytes", false, "fe", "ff", "fefeffff"));
        groups.add(group("Examples of an overlong ASCII character", false, "c0af", "e080af", "f08080af", "f8808080af",
                "fc80808080af"));
        groups.add(group("Maximum overlong sequences", false, "c1bf", "e09fbf", "f08fbfbf", "f887bfbfbf", "fc83bfbfbfbf"));
        groups.add(group("Overlong representation of the NUL character", false, "c080", "e08080", "f0808080",
                "f880808080", "fc8080808080"));
        groups.add(group("Single UTF-16 surrogates", false, "eda080", "edadbf", "edae80", "edafbf", "edb080", "edbe80",
                "edbfbf"));
        groups.add(group("Paired UTF-16 surrogates", false, "eda080edb080", "eda080edbfbf", "edadbfedb080",
                "edadbfedbfbf", "edae80edb080", "edae80edbfbf", "edafbfedb080", "edafbfedbfbf"));
        groups.add(new Group("Non-character code points (valid UTF-8)", nonCharacters()));
        groups.add(group("Unicode specials (i.e. replacement char)", true, "efbfb9", "efbfba", "efbfbb", "efbfbc",
                "efbfbd", "efbfbe", "efbfbf"));
        return groups;
    }

    /** EF BF BE/BF, then U+xFFFE/U+xFFFF of the supplementary planes up to U+10FFFF, overlong forms left out. */
    private static List<Sequence> nonCharacters() {
        List<Sequence> sequences = new ArrayList<>(group("", true, "efbfbe", "efbfbf").sequences());
        for (int first = 0xf0; first <= 0xf4; first++) {
            for (int second : new int[] {0x8f, 0x9f, 0xaf, 0xbf}) {
                if (first == 0xf4 && second != 0x8f) {
                    continue; // above U+10FFFF
                }
                if (first == 0xf0 && second == 0x8f) {
                    continue; // overlong
                }
                for (int last : new int[] {0xbe, 0xbf}) {
                    sequences.add(new Sequence(true, new byte[] {(byte) first, (byte) second, (byte) 0xbf, (byte) last}));
                }
            }
        }
        return sequences;
    }

    /** The bytes from {@code first} to {@code end} (exclusive), each followed by a space if {@code spaced}. */
    private static byte[] range(int first, int end, boolean spaced) {
        ByteBuffer out = ByteBuffer.allocate((end - first) * (spaced ? 2 : 1));
        for (int b = first; b < end; b++) {
            out.put((byte) b);
            if (spaced) {
                out.put((byte) 0x20);
            }
        }
        return out.array();
    }

    private static Group group(String title, boolean valid, String... hexes) {
        return new Group(title, Arrays.stream(hexes).map(h -> new Sequence(valid, hex(h))).toList());
    }

    static byte[] hex(String hex) {
        return HexFormat.of().parseHex(hex);
    }

    /** Whether the JDK's strict decoder takes the bytes as complete, valid UTF-8 (RFC 3629). */
    static boolean isValid(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException invalid) {
            return false;
        }
    }
}
