package dev.arbor.engine.view;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.core.json.Json;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A document spliced from its stored body reads exactly as the parsed document does, for views of both kinds. */
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
}
