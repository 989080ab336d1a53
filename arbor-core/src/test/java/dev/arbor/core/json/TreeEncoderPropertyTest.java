package dev.arbor.core.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BigIntegerNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@link Json#bytes} writes stored bodies, whose bytes are hashed into revision ids: its output must be
 * exactly what Jackson's generator writes for the same tree, for every kind of node and every character.
 */
class TreeEncoderPropertyTest {

    @Property(tries = 2000)
    void encodesEveryTreeExactlyAsJacksonsGenerator(@ForAll("trees") JsonNode tree) throws IOException {
        assertEquals(new String(jackson(tree), StandardCharsets.UTF_8), new String(Json.bytes(tree), StandardCharsets.UTF_8));
    }

    @Property(tries = 500)
    void leavesOutSkippedTopLevelMembersOnly(@ForAll("objects") ObjectNode tree) throws IOException {
        ObjectNode kept = tree.deepCopy();
        kept.properties().removeIf(e -> e.getKey().startsWith("a"));
        assertArrayEquals(jackson(kept), Json.bytes(tree, name -> name.startsWith("a")));
    }

    @Example
    void escapesControlCharactersQuotesAndBackslashesAsJacksonDoes() throws IOException {
        ObjectNode doc = Json.object().put("k\"\\\u0001", "a\b\t\n\f\r\u001f\u007f/\"\\é€😀");
        assertArrayEquals(jackson(doc), Json.bytes(doc));
        assertEquals("{\"k\\\"\\\\\\u0001\":\"a\\b\\t\\n\\f\\r\\u001F\u007f/\\\"\\\\é€😀\"}",
                new String(Json.bytes(doc), StandardCharsets.UTF_8));
    }

    @Example
    void writesNodesOutsideTheFastPathThroughJacksonUnchanged() throws IOException {
        ArrayNode rare = Json.MAPPER.createArrayNode()
                .add(DoubleNode.valueOf(Double.NaN)).add(1.5e300).add(2.5f)
                .add(new BigInteger("123456789012345678901234567890")).add("\ud800 unpaired");
        assertArrayEquals(jackson(rare), Json.bytes(rare));
    }

    @Example
    void aNestedCallOnTheSameThreadGetsItsOwnBuffer() {
        TreeEncoder outer = TreeEncoder.acquire();
        try {
            byte[] inner = Json.bytes(Json.object().put("inner", 1));
            assertEquals("{\"inner\":1}", new String(inner, StandardCharsets.UTF_8));
        } finally {
            outer.release();
        }
        assertEquals("{\"after\":true}", new String(Json.bytes(Json.object().put("after", true)), StandardCharsets.UTF_8));
    }

    private static byte[] jackson(JsonNode tree) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator gen = Json.MAPPER.getFactory().createGenerator(out)) {
            Json.write(tree, gen);
        }
        return out.toByteArray();
    }

    @Provide
    Arbitrary<ObjectNode> objects() {
        return trees().filter(JsonNode::isObject).map(n -> (ObjectNode) n);
    }

    @Provide
    Arbitrary<JsonNode> trees() {
        return Arbitraries.recursive(this::leaf, this::containing, 0, 3);
    }

    private Arbitrary<JsonNode> containing(Arbitrary<JsonNode> items) {
        Arbitrary<JsonNode> array = items.list().ofMaxSize(4).map(list -> {
            ArrayNode node = Json.MAPPER.createArrayNode();
            list.forEach(node::add);
            return node;
        });
        Arbitrary<JsonNode> object = Arbitraries.maps(text(), items).ofMaxSize(4).map(members -> {
            ObjectNode node = Json.object();
            members.forEach(node::set);
            return node;
        });
        return Arbitraries.oneOf(array, object);
    }

    private Arbitrary<String> text() {
        return Arbitraries.oneOf(
                Arbitraries.strings().ascii().ofMaxLength(12),
                Arbitraries.strings().all().ofMaxLength(12),
                Arbitraries.strings().withChars('"', '\\', '/', '\n', '\u0000', '\u001f', 'é', '€', '\ud83d', '\ude00').ofMaxLength(8));
    }

    private Arbitrary<JsonNode> leaf() {
        return Arbitraries.oneOf(
                text().map(TextNode::valueOf),
                Arbitraries.integers().map(IntNode::valueOf),
                Arbitraries.longs().map(LongNode::valueOf),
                Arbitraries.bigDecimals().ofScale(3).map(DecimalNode::valueOf),
                Arbitraries.of(new BigDecimal("1E+5"), new BigDecimal("-0.000001"), new BigDecimal("12.50")).map(DecimalNode::valueOf),
                Arbitraries.doubles().map(DoubleNode::valueOf),
                Arbitraries.bigIntegers().map(BigIntegerNode::valueOf),
                Arbitraries.of(BooleanNode.TRUE, BooleanNode.FALSE, NullNode.instance));
    }
}
