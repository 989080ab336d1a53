package dev.arbor.core.collate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.BigIntegerNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.arbor.core.json.Json;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class CollationTest {
    /** The "Collation Specification" list of CouchDB's Views Collation documentation, in its order. */
    static final List<String> DOCUMENTED_ORDER = List.of(
            "null", "false", "true",
            "1", "2", "3.0", "4",
            "\"a\"", "\"A\"", "\"aa\"", "\"b\"", "\"B\"", "\"ba\"", "\"bb\"",
            "[\"a\"]", "[\"b\"]", "[\"b\",\"c\"]", "[\"b\",\"c\",\"a\"]", "[\"b\",\"d\"]", "[\"b\",\"d\",\"e\"]",
            "{\"a\":1}", "{\"a\":2}", "{\"b\":1}", "{\"b\":2}", "{\"b\":2,\"a\":1}", "{\"b\":2,\"c\":2}");

    private static int compare(String a, String b) {
        return Collation.INSTANCE.compare(Json.parse(a), Json.parse(b));
    }

    private static void assertAscending(List<JsonNode> keys) {
        for (int i = 0; i < keys.size(); i++) {
            for (int j = 0; j < keys.size(); j++) {
                int expected = Integer.compare(i, j);
                assertEquals(expected, Collation.INSTANCE.compare(keys.get(i), keys.get(j)),
                        keys.get(i) + " vs " + keys.get(j));
            }
        }
    }

    private static void assertStringsAscending(String... strings) {
        assertAscending(List.of(strings).stream().<JsonNode>map(TextNode::valueOf).toList());
    }

    @Test
    void documentedSpecificationListSortsIntoItsDocumentedOrder() {
        List<JsonNode> expected = DOCUMENTED_ORDER.stream().map(Json::parse).toList();
        List<JsonNode> shuffled = new ArrayList<>(expected);
        Collections.shuffle(shuffled, new Random(42));
        shuffled.sort(Collation.INSTANCE);
        assertEquals(expected, shuffled);
        assertAscending(expected);
    }

    @Test
    void typesOrderNullFalseTrueNumbersStringsArraysObjects() {
        assertAscending(List.of(Json.parse("null"), Json.parse("false"), Json.parse("true"),
                Json.parse("-1e300"), Json.parse("1e300"), Json.parse("\"\""), Json.parse("\"\uFFFF\""),
                Json.parse("[]"), Json.parse("[{}]"), Json.parse("{}"), Json.parse("{\"a\":[]}")));
    }

    @Test
    void lettersCompareCaseInsensitivelyFirstThenLowercaseBeforeUppercase() {
        // The documentation's notes: a < aa, A < aa, a < AA, and a < A for the same letters.
        assertStringsAscending("a", "A", "aa", "AA");
        assertStringsAscending("A", "aa");
        assertStringsAscending("a", "AA");
    }

    @Test
    void documentedKeyRangePitfallOrdersAsUca() {
        assertStringsAscending("abc", "Abc", "ABC", "abc1", "AbcZZZZZ");
    }

    @Test
    void printableAsciiSortsSymbolsThenDigitsThenLettersAsModernIcuDoes() {
        // The documentation's list came from an older ICU that put ` and ^ first; UCA since then files them
        // among the other symbols (after %), and CouchDB on a current libicu agrees with ICU4J here.
        String expected = "_ - , ; : ! ? . ' \" ( ) [ ] { } @ * / \\ & # % ` ^ + < = > | ~ $ 0 1 2 3 4 5 6 7 8 9 "
                + "a A b B c C d D e E f F g G h H i I j J k K l L m M n N o O p P q Q r R s S t T u U v V w W x X y Y z Z";
        List<String> chars = new ArrayList<>();
        for (char c = 33; c < 127; c++) {
            chars.add(String.valueOf(c));
        }
        Collections.shuffle(chars, new Random(7));
        chars.sort(Collation::compareStrings);
        assertEquals(expected, String.join(" ", chars));
        assertEquals(-1, Collation.compareStrings(" ", "_"), "space comes before every other printable");
    }

    @Test
    void highSentinelUfff0SortsAfterEveryOrdinaryContinuationIncludingAstralCharacters() {
        // The documentation recommends endkey="abc\ufff0" for prefix ranges. Emoji are symbols, so they sort
        // before letters; Han ideographs (BMP or not) sort after them; unassigned U+FFF0 after everything assigned.
        assertStringsAscending("abc", "abc\uD83D\uDE00", "abcz", "abcZ", "abc\u4E2D", "abc\uFFF0", "abd");
        assertStringsAscending("abc\uD840\uDC00", "abc\uFFF0");
    }

    @Test
    void stringsIcuCallsEqualCompareEqualWithoutCodePointTieBreak() {
        assertEquals(0, Collation.compareStrings("\u00E9", "e\u0301"), "precomposed vs combining acute");
        assertEquals(0, Collation.compareStrings("a", "a\u0000"), "U+0000 is completely ignorable");
        assertEquals(0, compare("[\"\u00E9\"]", "[\"e\u0301\"]"));
        assertEquals(-1, Collation.compareStrings("e", "\u00E9"));
        assertEquals(-1, Collation.compareStrings("\u00E9", "f"));
    }

    @Test
    void numbersCompareByValueWhateverTheirSpelling() {
        assertEquals(0, compare("1", "1.0"));
        assertEquals(0, compare("1", "1e0"));
        assertEquals(0, compare("1", "10e-1"));
        assertEquals(0, compare("100", "1E2"));
        assertEquals(0, compare("-0", "0.0"));
        assertEquals(0, Collation.INSTANCE.compare(DoubleNode.valueOf(-0.0), LongNode.valueOf(0)));
        assertEquals(0, Collation.INSTANCE.compare(DoubleNode.valueOf(0.1), Json.parse("0.1")),
                "a double equals the decimal text it is written as");
        assertEquals(0, Collation.INSTANCE.compare(LongNode.valueOf(7), BigIntegerNode.valueOf(BigInteger.valueOf(7))));
        assertEquals(-1, compare("-2", "-1.5"));
        assertEquals(-1, compare("2", "10"));
        assertEquals(-1, compare("0.5", "1"));
    }

    @Test
    void numbersAtDoublePrecisionEdgesCompareExactly() {
        assertAscending(List.of(
                Json.parse("-1e400"),
                DoubleNode.valueOf(-Double.MAX_VALUE),
                DoubleNode.valueOf(-1.0),
                DoubleNode.valueOf(-Double.MIN_VALUE),
                Json.parse("-1e-400"),
                Json.parse("0"),
                Json.parse("1e-400"),
                DoubleNode.valueOf(Double.MIN_VALUE),
                DoubleNode.valueOf(Double.MIN_NORMAL),
                DoubleNode.valueOf(0.1),
                Json.parse("0.10000000000000000001"),
                DoubleNode.valueOf(0.30000000000000004),
                Json.parse("1"),
                Json.parse("1.0000000000000000000000001"),
                DoubleNode.valueOf(Math.nextUp(1.0)),
                DoubleNode.valueOf(9007199254740992.0),
                Json.parse("9007199254740993"),
                LongNode.valueOf(Long.MAX_VALUE),
                Json.parse("9223372036854775808"),
                DoubleNode.valueOf(Double.MAX_VALUE),
                Json.parse("1e309"),
                Json.parse("123456789012345678901234567890e1000")));
    }

    @Test
    void bigDecimalsWithExtremeExponentsCompareByValue() {
        DecimalNode tiny = DecimalNode.valueOf(new BigDecimal(BigInteger.ONE, Integer.MAX_VALUE));
        DecimalNode huge = DecimalNode.valueOf(new BigDecimal(BigInteger.ONE, Integer.MIN_VALUE));
        assertEquals(-1, Collation.INSTANCE.compare(Json.parse("0"), tiny));
        assertEquals(-1, Collation.INSTANCE.compare(tiny, DoubleNode.valueOf(Double.MIN_VALUE)));
        assertEquals(1, Collation.INSTANCE.compare(huge, Json.parse("1e400")));
        assertEquals(-1, Collation.INSTANCE.compare(DecimalNode.valueOf(huge.decimalValue().negate()), Json.parse("-1e400")));
    }

    @Test
    void arraysCompareElementWiseThenShorterFirst() {
        assertEquals(-1, compare("[]", "[null]"));
        assertEquals(-1, compare("[1,2]", "[1,2,null]"));
        assertEquals(1, compare("[2]", "[1,2,3]"));
        assertEquals(0, compare("[1,[2,\"x\"]]", "[1.0,[2e0,\"x\"]]"));
        assertEquals(-1, compare("[[1]]", "[[1,2]]"));
        assertEquals(-1, compare("[[1,2]]", "[[2]]"));
        assertEquals(-1, compare("[[[]]]", "[[[null]]]"));
        assertEquals(1, compare("[{}]", "[[1,2,3]]"));
    }

    @Test
    void emptyObjectAsEndkeySentinelCoversStringsAndArraysButNotObjects() {
        // startkey=["foo"]&endkey=["foo",{}] matches ["foo","bar"] and ["foo",["bar","baz"]] but not ["foo",{"an":"object"}].
        assertEquals(-1, compare("[\"foo\"]", "[\"foo\",\"bar\"]"));
        assertEquals(-1, compare("[\"foo\",\"bar\"]", "[\"foo\",{}]"));
        assertEquals(-1, compare("[\"foo\",[\"bar\",\"baz\"]]", "[\"foo\",{}]"));
        assertEquals(1, compare("[\"foo\",{\"an\":\"object\"}]", "[\"foo\",{}]"));
    }

    @Test
    void objectsCompareMemberByMemberInGivenOrderKeyBeforeValue() {
        assertEquals(-1, compare("{}", "{\"a\":null}"));
        assertEquals(-1, compare("{\"a\":2}", "{\"b\":1}"), "keys decide before values");
        assertEquals(1, compare("{\"b\":2,\"a\":1}", "{\"a\":1,\"b\":2}"), "member order matters");
        assertEquals(-1, compare("{\"a\":1}", "{\"A\":1}"), "keys collate as strings");
        assertEquals(-1, compare("{\"a\":1}", "{\"a\":1,\"b\":0}"), "a subset object sorts first");
        assertEquals(0, compare("{\"a\":{\"b\":[1]}}", "{\"a\":{\"b\":[1.0]}}"));
        assertEquals(-1, compare("{\"a\":{\"b\":[1]}}", "{\"a\":{\"b\":[1,0]}}"));
    }

    @Test
    void valuesThatAreNotJsonAreRejected() {
        assertThrows(IllegalArgumentException.class,
                () -> Collation.INSTANCE.compare(MissingNode.getInstance(), Json.parse("1")));
        assertThrows(IllegalArgumentException.class,
                () -> Collation.INSTANCE.compare(DoubleNode.valueOf(Double.NaN), DoubleNode.valueOf(1.0)));
        assertThrows(IllegalArgumentException.class,
                () -> Collation.INSTANCE.compare(DoubleNode.valueOf(Double.POSITIVE_INFINITY), Json.parse("1")));
    }
}
