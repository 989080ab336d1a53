package dev.arbor.core.collate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BigIntegerNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.arbor.core.json.Json;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.arbitraries.StringArbitrary;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The contract between {@link Collation} and {@link KeyEncoding}, over random JSON: the byte order of
 * encodings is the collation order, equality included.
 */
class CollationEncodingPropertyTest {
    private static final JsonNodeFactory NODES = Json.MAPPER.getNodeFactory();

    @Property(tries = 2000)
    void encodingByteOrderIsCollationOrder(@ForAll("keyLists") List<JsonNode> keys) {
        List<byte[]> encodings = keys.stream().map(KeyEncoding::encode).toList();
        for (int i = 0; i < keys.size(); i++) {
            for (int j = 0; j < keys.size(); j++) {
                int collated = Collation.INSTANCE.compare(keys.get(i), keys.get(j));
                int encoded = Integer.signum(KeyEncoding.compare(encodings.get(i), encodings.get(j)));
                int a = i, b = j;
                assertEquals(collated, encoded, () -> keys.get(a) + " vs " + keys.get(b) + "\n  "
                        + HexFormat.of().formatHex(encodings.get(a)) + "\n  " + HexFormat.of().formatHex(encodings.get(b)));
            }
        }
    }

    @Property(tries = 2000)
    void respelledKeysCollateEqualAndEncodeIdentically(@ForAll("jsonValues") JsonNode key) {
        JsonNode respelled = respell(key);
        assertEquals(0, Collation.INSTANCE.compare(key, respelled), () -> key + " vs " + respelled);
        assertArrayEquals(KeyEncoding.encode(key), KeyEncoding.encode(respelled), () -> key + " vs " + respelled);
    }

    @Property(tries = 2000)
    void compositeOrderIsKeyOrderThenDocIdBytes(@ForAll("jsonValues") JsonNode keyA, @ForAll("docIds") String idA,
                                                @ForAll("jsonValues") JsonNode keyB, @ForAll("docIds") String idB) {
        int expected = Collation.INSTANCE.compare(keyA, keyB);
        if (expected == 0) {
            expected = Integer.signum(Arrays.compareUnsigned(
                    idA.getBytes(StandardCharsets.UTF_8), idB.getBytes(StandardCharsets.UTF_8)));
        }
        int actual = Integer.signum(KeyEncoding.compare(
                KeyEncoding.encodeComposite(keyA, idA), KeyEncoding.encodeComposite(keyB, idB)));
        assertEquals(expected, actual);
    }

    /**
     * Lists drawn from one family at a time, so that besides pairs of different kinds the property sees plenty
     * of number-number and string-string pairs, and containers that differ deep inside.
     */
    @Provide
    Arbitrary<List<JsonNode>> keyLists() {
        Arbitrary<JsonNode> shallowContainers = Arbitraries.recursive(this::scalars, this::containers, 1, 2);
        Arbitrary<JsonNode> strings = strings().map(TextNode::valueOf);
        return Arbitraries.oneOf(Stream.of(jsonValues(), numbers(), strings, shallowContainers)
                .map(family -> family.list().ofMinSize(2).ofMaxSize(8)).toList());
    }

    @Provide
    Arbitrary<JsonNode> jsonValues() {
        return Arbitraries.recursive(this::scalars, this::containers, 0, 3);
    }

    @Provide
    Arbitrary<String> docIds() {
        return Arbitraries.oneOf(smallAlphabetStrings(), Arbitraries.strings().withCharRange(' ', '\uD7FF').ofMaxLength(5),
                astralStrings());
    }

    private Arbitrary<JsonNode> containers(Arbitrary<JsonNode> inner) {
        Arbitrary<JsonNode> arrays = inner.list().ofMaxSize(4).map(elements -> {
            ArrayNode array = NODES.arrayNode();
            array.addAll(elements);
            return array;
        });
        Arbitrary<JsonNode> objects = Combinators.combine(smallAlphabetStrings().ofMaxLength(2).list().ofMaxSize(4),
                inner.list().ofSize(4)).as((names, values) -> {
            ObjectNode object = NODES.objectNode();
            for (int i = 0; i < names.size(); i++) {
                object.set(names.get(i), values.get(i));
            }
            return object;
        });
        return Arbitraries.frequencyOf(
                Tuple.of(2, inner), Tuple.of(3, arrays), Tuple.of(2, objects));
    }

    private Arbitrary<JsonNode> scalars() {
        return Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.of(NullNode.getInstance(), BooleanNode.FALSE, BooleanNode.TRUE)),
                Tuple.of(4, numbers()),
                Tuple.of(4, strings().map(TextNode::valueOf)));
    }

    private Arbitrary<JsonNode> numbers() {
        Arbitrary<JsonNode> smallInts = Arbitraries.integers().between(-3, 3).map(IntNode::valueOf);
        Arbitrary<JsonNode> longs = Arbitraries.longs().map(LongNode::valueOf);
        Arbitrary<JsonNode> bigIntegers = Arbitraries.bigIntegers()
                .between(BigInteger.TEN.pow(40).negate(), BigInteger.TEN.pow(40)).map(BigIntegerNode::valueOf);
        Arbitrary<JsonNode> doubles = Arbitraries.doubles().map(DoubleNode::valueOf);
        Arbitrary<JsonNode> edgeDoubles = Arbitraries.of(Double.MIN_VALUE, -Double.MIN_VALUE, Double.MAX_VALUE,
                -Double.MAX_VALUE, Double.MIN_NORMAL, 0.1, 0.2, 0.30000000000000004, -0.0, 1e-300, 1e300,
                9007199254740992.0, Math.nextUp(1.0), Math.nextDown(1.0), 1.0, 100.0).map(DoubleNode::valueOf);
        Arbitrary<JsonNode> decimals = Combinators.combine(
                Arbitraries.bigIntegers().between(BigInteger.TEN.pow(30).negate(), BigInteger.TEN.pow(30)),
                Arbitraries.integers().between(-400, 400))
                .as((unscaled, scale) -> (JsonNode) DecimalNode.valueOf(new BigDecimal(unscaled, scale)));
        Arbitrary<JsonNode> spelledLikeSmallInts = Arbitraries.of("1.0", "1e0", "10e-1", "0.10", "-2.50", "3.000",
                "1E2", "-0.0", "0e5", "2.5", "-1").map(Json::parse);
        return Arbitraries.oneOf(smallInts, longs, bigIntegers, doubles, edgeDoubles, decimals, spelledLikeSmallInts);
    }

    private Arbitrary<String> strings() {
        return Arbitraries.oneOf(smallAlphabetStrings(), Arbitraries.strings().all().ofMaxLength(6), astralStrings());
    }

    /** Few distinct characters, so generated strings often share prefixes, differ only by case or accents, or tie. */
    private StringArbitrary smallAlphabetStrings() {
        return Arbitraries.strings().withChars('a', 'A', 'b', 'B', 'e', '\u00E9', '\u0301', '\u00DF', 's', ' ', '-',
                '_', '\u0000', '1', '\uFFF0', '\u4E2D').ofMaxLength(4);
    }

    /** Strings of non-BMP code points (surrogate pairs in Java), mixed with ASCII. */
    private Arbitrary<String> astralStrings() {
        Arbitrary<Integer> codePoint = Arbitraries.oneOf(
                Arbitraries.integers().between(0x10000, 0x10FFFF),
                Arbitraries.of(0x1F600, 0x1F601, 0x20000, 0x1D11E),
                Arbitraries.integers().between('a', 'c'));
        return codePoint.list().ofMaxSize(4).map(points -> {
            StringBuilder s = new StringBuilder();
            points.forEach(s::appendCodePoint);
            return s.toString();
        });
    }

    /** The same JSON value written differently: numbers in other node classes and spellings, recursively. */
    private static JsonNode respell(JsonNode node) {
        if (node.isNumber()) {
            BigDecimal value = DecimalValue.of(node);
            return DecimalNode.valueOf(value.setScale(value.scale() + 2));
        }
        if (node.isTextual()) {
            return TextNode.valueOf(node.textValue() + "\u0000"); // U+0000 is completely ignorable in UCA
        }
        if (node.isArray()) {
            ArrayNode copy = NODES.arrayNode();
            node.forEach(element -> copy.add(respell(element)));
            return copy;
        }
        if (node.isObject()) {
            ObjectNode copy = NODES.objectNode();
            for (Map.Entry<String, JsonNode> member : node.properties()) {
                copy.set(member.getKey(), respell(member.getValue()));
            }
            return copy;
        }
        return node;
    }
}
