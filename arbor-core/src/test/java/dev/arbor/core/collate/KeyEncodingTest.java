package dev.arbor.core.collate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BigIntegerNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.FloatNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.ibm.icu.text.RawCollationKey;
import dev.arbor.core.json.Json;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KeyEncodingTest {
    private static byte[] enc(String json) {
        return KeyEncoding.encode(Json.parse(json));
    }

    private static String hex(byte[] bytes) {
        return HexFormat.ofDelimiter(" ").formatHex(bytes);
    }

    private static void assertBytesAscending(List<byte[]> encodings, List<?> labels) {
        for (int i = 0; i + 1 < encodings.size(); i++) {
            assertTrue(KeyEncoding.compare(encodings.get(i), encodings.get(i + 1)) < 0,
                    labels.get(i) + " [" + hex(encodings.get(i)) + "] should sort before " + labels.get(i + 1)
                            + " [" + hex(encodings.get(i + 1)) + "]");
        }
    }

    private static void assertKeysEncodeAscending(List<JsonNode> keys) {
        assertBytesAscending(keys.stream().map(KeyEncoding::encode).toList(), keys);
    }

    @Test
    void stringsSharingASortKeyCacheSlotKeepTheirOwnEncodings() {
        // "Aa" and "BB" have the same String.hashCode, so they compete for one slot of the thread's sort key cache.
        assertEquals("Aa".hashCode(), "BB".hashCode());
        byte[] aa = enc("[\"Aa\", 1]");
        byte[] bb = enc("[\"BB\", 1]");
        assertTrue(KeyEncoding.compare(aa, bb) < 0);
        assertArrayEquals(aa, enc("[\"Aa\", 1]"));
        assertArrayEquals(bb, enc("[\"BB\", 1]"));
        RawCollationKey fresh = new RawCollationKey();
        com.ibm.icu.text.Collator.getInstance(com.ibm.icu.util.ULocale.ROOT).getRawCollationKey("Aa", fresh);
        assertEquals(hex(java.util.Arrays.copyOf(fresh.bytes, fresh.size)),
                hex(java.util.Arrays.copyOfRange(enc("\"Aa\""), 1, 1 + fresh.size)));
    }

    @Test
    void documentedSpecificationListEncodesInAscendingByteOrder() {
        assertKeysEncodeAscending(CollationTest.DOCUMENTED_ORDER.stream().map(Json::parse).toList());
    }

    @Test
    void equalNumbersEncodeToIdenticalBytesWhateverTheirNodeClass() {
        byte[] one = enc("1");
        for (JsonNode same : List.of(Json.parse("1.0"), Json.parse("1e0"), Json.parse("10e-1"), Json.parse("0.001e3"),
                IntNode.valueOf(1), LongNode.valueOf(1), BigIntegerNode.valueOf(BigInteger.ONE),
                DoubleNode.valueOf(1.0), FloatNode.valueOf(1.0f), DecimalNode.valueOf(new BigDecimal("1.000")))) {
            assertArrayEquals(one, KeyEncoding.encode(same), same.toString());
        }
        assertArrayEquals(enc("0"), KeyEncoding.encode(DoubleNode.valueOf(-0.0)));
        assertArrayEquals(enc("1200"), enc("1.2e3"));
        assertArrayEquals(enc("-1200"), enc("-12e2"));
        assertArrayEquals(KeyEncoding.encode(LongNode.valueOf(Long.MIN_VALUE)),
                KeyEncoding.encode(BigIntegerNode.valueOf(BigInteger.valueOf(Long.MIN_VALUE))));
        assertArrayEquals(KeyEncoding.encode(DoubleNode.valueOf(0.1)), enc("0.1"));
    }

    @Test
    void numbersEncodeInNumericOrderAcrossSignsExponentsAndPrecisions() {
        List<JsonNode> ascending = List.of(
                DecimalNode.valueOf(new BigDecimal(BigInteger.ONE, Integer.MIN_VALUE).negate()),
                Json.parse("-1e400"),
                DoubleNode.valueOf(-Double.MAX_VALUE),
                Json.parse("-9223372036854775809"),
                LongNode.valueOf(Long.MIN_VALUE),
                Json.parse("-256"), Json.parse("-255"), Json.parse("-100"), Json.parse("-99.5"), Json.parse("-10"),
                Json.parse("-1.5"), Json.parse("-1.05"), Json.parse("-1"), Json.parse("-0.5"), Json.parse("-0.12"),
                Json.parse("-0.1"),
                DoubleNode.valueOf(-Double.MIN_VALUE),
                Json.parse("-1e-400"),
                Json.parse("0"),
                DecimalNode.valueOf(new BigDecimal(BigInteger.ONE, Integer.MAX_VALUE)),
                Json.parse("1e-400"),
                DoubleNode.valueOf(Double.MIN_VALUE),
                Json.parse("0.1"), Json.parse("0.12"), Json.parse("0.123"), Json.parse("0.1231"), Json.parse("0.13"),
                Json.parse("0.5"), Json.parse("1"), Json.parse("1.05"), Json.parse("1.5"), Json.parse("9.99"),
                Json.parse("10"), Json.parse("99"), Json.parse("100"), Json.parse("255"), Json.parse("256"),
                DoubleNode.valueOf(9007199254740992.0),
                Json.parse("9007199254740993"),
                LongNode.valueOf(Long.MAX_VALUE),
                Json.parse("9223372036854775808"),
                DoubleNode.valueOf(Double.MAX_VALUE),
                Json.parse("1e400"),
                DecimalNode.valueOf(new BigDecimal(BigInteger.ONE, Integer.MIN_VALUE)));
        assertKeysEncodeAscending(ascending);
    }

    @Test
    void stringsIcuCallsEqualEncodeToIdenticalBytes() {
        assertArrayEquals(enc("\"\u00E9\""), enc("\"e\u0301\""));
        assertArrayEquals(enc("\"a\""), KeyEncoding.encode(TextNode.valueOf("a\u0000")));
        assertArrayEquals(enc("{\"\u00E9\":[1]}"), enc("{\"e\u0301\":[1.0]}"));
        assertFalse(java.util.Arrays.equals(enc("\"a\""), enc("\"A\"")));
    }

    @Test
    void sortKeysEndInTheirOnlyZeroByteSoStringEncodingsAreSelfDelimiting() {
        for (String s : List.of("", "a", "A", "\u0000", "a\u0000b", "\u00E9", "\uD83D\uDE00", "\uFFF0", "\uDC00",
                "Stra\u00DFe", "\u4E2D\u6587", "\u0000\u0001\u0002", "long string with spaces, punctuation; and 123")) {
            RawCollationKey key = RootCollator.sortKey(s);
            assertEquals(0, key.bytes[key.size - 1], "terminator of " + s);
            for (int i = 0; i < key.size - 1; i++) {
                assertTrue(key.bytes[i] != 0, "interior zero in the sort key of " + s);
            }
        }
    }

    @Test
    void compositeRowsOrderByKeyThenDocIdUtf8Bytes() {
        JsonNode key = Json.parse("[\"k\",1]");
        // U+FF5E precedes U+1F600 in UTF-8 bytes (EF.. < F0..) though Java's UTF-16 compareTo says otherwise.
        List<String> ids = List.of("", "A", "Z", "_design/x", "a", "\u00E9", "\uFF5E", "\uD83D\uDE00");
        assertBytesAscending(ids.stream().map(id -> KeyEncoding.encodeComposite(key, id)).toList(), ids);
        assertTrue("\uFF5E".compareTo("\uD83D\uDE00") > 0, "UTF-16 order differs, which is the point");

        byte[] smallKeyLargeId = KeyEncoding.encodeComposite(Json.parse("\"a\""), "\uD83D\uDE00\uD83D\uDE00");
        byte[] largeKeySmallId = KeyEncoding.encodeComposite(Json.parse("\"A\""), "");
        assertTrue(KeyEncoding.compare(smallKeyLargeId, largeKeySmallId) < 0, "the key decides before the id");
        assertArrayEquals(KeyEncoding.encodeComposite(Json.parse("1"), "x"),
                KeyEncoding.encodeComposite(Json.parse("1.0"), "x"));
    }

    @Test
    void compositeUpperBoundFollowsEveryRowOfItsKeyAndPrecedesTheNextKey() {
        JsonNode key = Json.parse("\"a\"");
        byte[] end = KeyEncoding.compositeUpperBound(key);
        for (String id : List.of("", "zzz", "\uD83D\uDE00", "\uFFFF")) {
            assertTrue(KeyEncoding.compare(KeyEncoding.encodeComposite(key, id), end) < 0, id);
        }
        assertTrue(KeyEncoding.compare(KeyEncoding.encode(key), end) < 0);
        assertTrue(KeyEncoding.compare(end, KeyEncoding.encodeComposite(Json.parse("\"A\""), "")) < 0);
        assertTrue(KeyEncoding.compare(end, enc("\"aa\"")) < 0);
        assertTrue(KeyEncoding.compare(end, enc("[\"a\"]")) < 0);
    }

    @Test
    void arrayPrefixBoundsEncloseExactlyTheArraysStartingWithThePrefix() {
        JsonNode prefix = Json.parse("[\"foo\"]");
        byte[] lower = KeyEncoding.arrayPrefixLowerBound(prefix);
        byte[] upper = KeyEncoding.arrayPrefixUpperBound(prefix);
        for (String inside : List.of("[\"foo\"]", "[\"foo\",null]", "[\"foo\",\"bar\"]", "[\"foo\",[\"bar\",\"baz\"]]",
                "[\"foo\",{}]", "[\"foo\",{\"an\":\"object\"}]", "[\"foo\",1,2,3]")) {
            byte[] encoded = enc(inside);
            assertTrue(KeyEncoding.compare(lower, encoded) <= 0 && KeyEncoding.compare(encoded, upper) < 0, inside);
            byte[] row = KeyEncoding.encodeComposite(Json.parse(inside), "doc");
            assertTrue(KeyEncoding.compare(lower, row) <= 0 && KeyEncoding.compare(row, upper) < 0, inside + " row");
        }
        for (String outside : List.of("\"foo\"", "[]", "[\"fo\"]", "[\"foo0\"]", "[\"FOO\"]", "[\"fop\"]",
                "[[\"foo\"]]", "{\"foo\":1}", "[null,\"foo\"]")) {
            byte[] encoded = enc(outside);
            assertTrue(KeyEncoding.compare(encoded, lower) < 0 || KeyEncoding.compare(encoded, upper) >= 0, outside);
        }
    }

    @Test
    void emptyArrayPrefixBoundsEncloseEveryArrayAndNothingElse() {
        byte[] lower = KeyEncoding.arrayPrefixLowerBound(Json.parse("[]"));
        byte[] upper = KeyEncoding.arrayPrefixUpperBound(Json.parse("[]"));
        for (String array : List.of("[]", "[null]", "[{\"z\":[]}]")) {
            byte[] encoded = enc(array);
            assertTrue(KeyEncoding.compare(lower, encoded) <= 0 && KeyEncoding.compare(encoded, upper) < 0, array);
        }
        assertTrue(KeyEncoding.compare(enc("\"\uFFFF\""), lower) < 0);
        assertTrue(KeyEncoding.compare(upper, enc("{}")) < 0);
    }

    @Test
    void groupLevelPrefixOfTwoElementsSplitsOnTheSecondElement() {
        byte[] lower = KeyEncoding.arrayPrefixLowerBound(Json.parse("[2024,3]"));
        byte[] upper = KeyEncoding.arrayPrefixUpperBound(Json.parse("[2024,3]"));
        assertTrue(KeyEncoding.compare(enc("[2024,2,31]"), lower) < 0);
        assertTrue(KeyEncoding.compare(lower, enc("[2024,3.0,1]")) <= 0);
        assertTrue(KeyEncoding.compare(enc("[2024,3,31,\"x\"]"), upper) < 0);
        assertTrue(KeyEncoding.compare(upper, enc("[2024,3.5]")) < 0);
    }

    @Test
    void inputsThatAreNotJsonOrNotArraysAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> KeyEncoding.encode(MissingNode.getInstance()));
        assertThrows(IllegalArgumentException.class, () -> KeyEncoding.encode(DoubleNode.valueOf(Double.NaN)));
        assertThrows(IllegalArgumentException.class, () -> KeyEncoding.arrayPrefixLowerBound(Json.parse("\"foo\"")));
    }

    @Test
    void collatorVersionIsExposedForIndexInvalidation() {
        assertFalse(KeyEncoding.ICU_COLLATOR_VERSION.isEmpty());
    }
}
