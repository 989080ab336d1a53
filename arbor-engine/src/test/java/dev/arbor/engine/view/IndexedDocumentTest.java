package dev.arbor.engine.view;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.core.json.Json;
import dev.arbor.api.view.typed.MappedDocument;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * A document spliced from its stored body reads exactly as the parsed document does, for views of both kinds, and
 * its members read on demand are those of its whole body.
 */
class IndexedDocumentTest {
    private static void assertSameAsParsed(String id, String rev, String body) {
        ObjectNode document = Json.object().put("_id", id).put("_rev", rev);
        document.setAll(Json.parseObject(body));
        // Stored bodies are the bytes Json.bytes writes (as the writer stores them).
        IndexedDocument spliced = IndexedDocument.ofBody(id, rev, Json.bytes(Json.parseObject(body)));
        IndexedDocument parsed = IndexedDocument.of(id, document);

        assertEquals(Json.text(document), spliced.json());
        assertEquals(parsed.json(), spliced.json());
        assertEquals(parsed.body(), spliced.body());
        assertEquals(rev, spliced.rev());
        assertEquals(rev, parsed.rev());
    }

    @Test
    void aSplicedDocumentHasTheSpecialsFirstThenTheBodysMembers() {
        assertSameAsParsed("doc-1", "1-abc", "{\"city\":\"Oslo\",\"age\":31,\"tags\":[\"a\",{\"b\":null}]}");
    }

    @Test
    void anEmptyBodyLeavesOnlyTheSpecials() {
        assertSameAsParsed("empty", "2-def", "{}");
    }

    @Test
    void idsNeedingEscapesAndNonAsciiTextSurviveTheSplice() {
        assertSameAsParsed("quote\"back\\slash\u0001 ø", "3-0f", "{\"name\":\"Zoë 日本\",\"emoji\":\"\uD83C\uDF33\"}");
    }

    @Test
    void theBodyLeavesOutTheSpecialsOfAParsedDocument() {
        ObjectNode document = Json.parseObject("{\"_id\":\"x\",\"_rev\":\"1-a\",\"n\":1}");

        assertEquals(Json.parseObject("{\"n\":1}"), IndexedDocument.of("x", document).body());
        assertEquals("{\"_id\":\"x\",\"_rev\":\"1-a\",\"n\":1}", Json.text(document), "the document itself is untouched");
    }

    private static final String MEMBERS = "{\"type\":\"review\",\"age\":94,\"city\":\"Noze City 20\","
            + "\"tags\":[\"a\",{\"b\":null}],\"score\":2813.9126,\"big\":123456789012345678901234567890,"
            + "\"nested\":{\"a\":1},\"none\":null,\"yes\":true}";

    @Test
    void membersReadOnDemandEqualThoseOfTheWholeBodyInAnyOrder() {
        ObjectNode whole = (ObjectNode) Json.parse(Json.bytes(Json.parseObject(MEMBERS)));
        for (String first : new String[]{"city", "type", "nested", "yes", "big"}) {
            IndexedDocument doc = IndexedDocument.ofBody("d", "1-a", Json.bytes(Json.parseObject(MEMBERS)));
            assertEquals(whole.get(first), doc.member(first), first);
            whole.fieldNames().forEachRemaining(name -> assertEquals(whole.get(name), doc.member(name), name));
            assertNull(doc.member("missing"));
            assertEquals(whole, doc.body());
            assertEquals(Json.text(whole), Json.text(doc.body()), "members keep their stored order");
        }
    }

    @Test
    void aMissingMemberReadsTheWholeBodyOnceAndTheBodyKeepsItsOrder() {
        IndexedDocument doc = IndexedDocument.ofBody("d", "1-a", Json.bytes(Json.parseObject(MEMBERS)));

        assertNull(doc.member("absent"));
        assertEquals(Json.text(Json.parseObject(MEMBERS)), Json.text(doc.body()));
        assertEquals(94, doc.member("age").asInt());
    }

    @Test
    void aMappedDocumentOfAParsedDocumentReadsMembersOfItsBody() {
        ObjectNode document = Json.parseObject("{\"_id\":\"x\",\"_rev\":\"1-a\",\"n\":1}");
        MappedDocument mapped = new MappedDocument("x", "1-a", IndexedDocument.of("x", document));

        assertEquals(1, mapped.get("n").asInt());
        assertNull(mapped.get("_id"), "the specials are the id and rev, not members of the body");
        assertEquals(Json.parseObject("{\"n\":1}"), mapped.body());
    }
}
