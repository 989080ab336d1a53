package dev.arbor.engine.mango;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.core.json.Json;
import dev.arbor.core.mango.FieldPath;
import dev.arbor.core.mango.Selector;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TopLevelFieldsTest {
    private static final byte[] BODY = ("{\"type\":\"user\",\"age\":31.50,\"nested\":{\"a\":[1,{\"b\":2}]},"
            + "\"tags\":[\"x\"],\"flag\":false,\"none\":null,\"text\":\"long text nobody asked for\"}").getBytes(StandardCharsets.UTF_8);

    private static Selector selector(String json) {
        return Selector.parse(Json.parse(json));
    }

    @Test
    void readsOnlyTheMembersTheSelectorAndSortNameWithTheirFullValues() {
        TopLevelFields fields = TopLevelFields.of(List.of(selector("{\"nested.a\": {\"$size\": 2}, \"$or\": [{\"flag\": false}, {\"none\": null}]}")),
                List.of(FieldPath.parse("age")));
        assertNotNull(fields);
        ObjectNode doc = fields.read("doc-1", BODY);
        ObjectNode whole = (ObjectNode) Json.parse(new String(BODY, StandardCharsets.UTF_8));
        assertEquals(List.of("nested", "flag", "none", "age").stream().sorted().toList(),
                iterable(doc).stream().sorted().toList());
        for (String name : iterable(doc)) {
            assertEquals(whole.get(name), doc.get(name), name);
        }
        assertEquals("31.50", doc.get("age").decimalValue().toPlainString());
    }

    @Test
    void integersOfEverySizeGetTheNodesAWholeParseGives() {
        byte[] body = ("{\"i\":-7,\"zero\":0,\"l\":-9223372036854775808,\"big\":92233720368547758070,"
                + "\"f\":1e2,\"skipped\":5}").getBytes(StandardCharsets.UTF_8);
        ObjectNode whole = (ObjectNode) Json.parse(new String(body, StandardCharsets.UTF_8));
        ObjectNode doc = TopLevelFields.of(List.of(selector("{\"i\":1,\"zero\":1,\"l\":1,\"big\":1,\"f\":1}")), List.of())
                .read("doc-1", body);
        for (String name : List.of("i", "zero", "l", "big", "f")) {
            assertEquals(whole.get(name), doc.get(name), name);
            assertEquals(whole.get(name).getClass(), doc.get(name).getClass(), name);
        }
        assertFalse(doc.has("skipped"));
    }

    @Test
    void addsTheIdOnlyWhenTheSelectorReadsIt() {
        ObjectNode withId = TopLevelFields.of(List.of(selector("{\"_id\": {\"$gt\": \"a\"}, \"type\": \"user\"}")), List.of())
                .read("doc-1", BODY);
        assertEquals("doc-1", withId.get("_id").textValue());
        assertEquals("user", withId.get("type").textValue());
        ObjectNode withoutId = TopLevelFields.of(List.of(selector("{\"type\": \"user\"}")), List.of()).read("doc-1", BODY);
        assertFalse(withoutId.has("_id"));
    }

    @Test
    void aSelectorOnAMemberAddedOnTheWayOutNeedsTheWholeDocument() {
        assertNull(TopLevelFields.of(List.of(selector("{\"_conflicts\": {\"$exists\": true}}")), List.of()));
        assertNull(TopLevelFields.of(List.of(selector("{\"_rev\": {\"$gt\": \"1-\"}}")), List.of()));
        assertNull(TopLevelFields.of(List.of(), List.of(FieldPath.parse("_attachments.a"))));
    }

    @Test
    void judgingThePartialDocumentGivesTheWholeDocumentsAnswer() {
        ObjectNode whole = (ObjectNode) Json.parse(new String(BODY, StandardCharsets.UTF_8));
        whole.put("_id", "doc-1");
        for (String json : List.of("{\"type\": \"user\", \"age\": {\"$gte\": 30, \"$lt\": 40}}", "{\"type\": \"admin\"}",
                "{\"missing\": {\"$exists\": false}}", "{\"tags\": {\"$elemMatch\": {\"$eq\": \"x\"}}}",
                "{\"nested.a.1.b\": 2}", "{\"$nor\": [{\"flag\": true}]}", "{}")) {
            Selector selector = selector(json);
            ObjectNode partial = TopLevelFields.of(List.of(selector), List.of()).read("doc-1", BODY);
            assertEquals(selector.matches(whole), selector.matches(partial), json);
        }
        assertTrue(selector("{\"nested.a.1.b\": 2}").matches(whole));
    }

    private static List<String> iterable(ObjectNode doc) {
        List<String> names = new java.util.ArrayList<>();
        doc.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void skippedValuesHoldingQuotesBracketsAndEscapesDoNotConfuseTheWalk() {
        String json = "{ \"s\" : \"x\\\"}{]\" , \"n\":{\"k\":\"}]\\\\\",\"a\":[[],{}]},\"e\":\"us\\u0065r\","
                + "\"neg\":-12,\"long\":123456789012345678,\"empty\":\"\",\"uni\":\"Zoë 🌳\"\n, \"last\" :\t7 }";
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        ObjectNode whole = (ObjectNode) Json.parse(json);
        List<String> names = List.of("n", "e", "neg", "long", "empty", "uni", "last");
        ObjectNode doc = TopLevelFields.of(List.of(selector("{\"n\":1,\"e\":1,\"neg\":1,\"long\":1,\"empty\":1,\"uni\":1,\"last\":1}")),
                List.of()).read("doc-1", body);
        for (String name : names) {
            assertEquals(whole.get(name), doc.get(name), name);
            assertEquals(whole.get(name).getClass(), doc.get(name).getClass(), name);
        }
        assertFalse(doc.has("s"));
        assertEquals("user", doc.get("e").textValue());
    }

    @Test
    void aMemberNameWithAnEscapeIsReadAsAWholeParseReadsIt() {
        byte[] body = "{\"a\\\"b\":1,\"type\":\"user\"}".getBytes(StandardCharsets.UTF_8);
        ObjectNode doc = TopLevelFields.of(List.of(selector("{\"a\\\"b\":1,\"type\":\"user\"}")), List.of()).read("doc-1", body);
        assertEquals(1, doc.get("a\"b").intValue());
        assertEquals("user", doc.get("type").textValue());
    }
}
