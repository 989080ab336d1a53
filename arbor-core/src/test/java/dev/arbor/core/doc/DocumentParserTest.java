package dev.arbor.core.doc;

import dev.arbor.core.error.ArborException;
import dev.arbor.core.json.Json;
import dev.arbor.core.rev.Rev;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DocumentParserTest {

    private static ParsedDoc parse(String json) {
        return DocumentParser.parse(Json.parse(json));
    }

    private static ArborException rejected(String json) {
        return assertThrows(ArborException.class, () -> parse(json));
    }

    @Test
    void splitsSpecialMembersFromTheBody() {
        ParsedDoc doc = parse("{\"_id\":\"a\",\"_rev\":\"2-abc\",\"x\":1,\"_deleted\":true,\"y\":[true]}");
        assertEquals("a", doc.id());
        assertEquals(new Rev(2, "abc"), doc.rev());
        assertTrue(doc.deleted());
        assertEquals("{\"x\":1,\"y\":[true]}", new String(doc.bodyBytes(), StandardCharsets.UTF_8));
    }

    @Test
    void replicatorStateMembersStayInTheBodyAndReadOnlySpecialsAreIgnored() {
        ParsedDoc doc = parse("{\"_id\":\"r\",\"_replication_state\":\"completed\",\"_conflicts\":[\"1-a\"],\"_local_seq\":3}");
        assertEquals("{\"_replication_state\":\"completed\"}", new String(doc.bodyBytes(), StandardCharsets.UTF_8));
    }

    @Test
    void unknownUnderscoreMemberIsADocValidationError() {
        ArborException e = rejected("{\"_id\":\"a\",\"_foo\":1}");
        assertEquals("doc_validation", e.error());
        assertEquals("Bad special document member: _foo", e.reason());
        assertInstanceOf(ArborException.BadRequest.class, e);
    }

    @Test
    void idsStartingWithUnderscoreAreReservedExceptDesignAndLocal() {
        ArborException e = rejected("{\"_id\":\"_secret\"}");
        assertEquals("illegal_docid", e.error());
        assertEquals("Only reserved document ids may start with underscore.", e.reason());
        assertTrue(parse("{\"_id\":\"_design/app\"}").isDesign());
        assertTrue(parse("{\"_id\":\"_local/cp\"}").isLocal());
    }

    @Test
    void idMustBeANonEmptyString() {
        assertEquals("Document id must be a string", rejected("{\"_id\":5}").reason());
        assertEquals("Document id must not be empty", rejected("{\"_id\":\"\"}").reason());
    }

    @Test
    void bodyMustBeAnObject() {
        ArborException e = assertThrows(ArborException.class, () -> DocumentParser.parse(Json.parse("[1,2]")));
        assertEquals("Document must be a JSON object", e.reason());
    }

    @Test
    void malformedRevIsABadRequest() {
        assertEquals("Invalid rev format", rejected("{\"_id\":\"a\",\"_rev\":\"banana\"}").reason());
        assertEquals("Invalid rev format", rejected("{\"_id\":\"a\",\"_rev\":7}").reason());
    }

    @Test
    void revisionsGiveTheRevAndWinOverADisagreeingRevAsInCouchDb() {
        ParsedDoc doc = parse("{\"_id\":\"a\",\"_revisions\":{\"start\":3,\"ids\":[\"c\",\"b\",\"a\"]}}");
        assertEquals(new Rev(3, "c"), doc.rev());
        assertEquals(List.of("c", "b", "a"), doc.revisions().ids());
        for (String json : List.of("{\"_id\":\"a\",\"_rev\":\"1-x\",\"_revisions\":{\"start\":3,\"ids\":[\"c\",\"b\"]}}",
                "{\"_id\":\"a\",\"_revisions\":{\"start\":3,\"ids\":[\"c\",\"b\"]},\"_rev\":\"1-x\"}")) {
            ParsedDoc disagreeing = parse(json);
            assertEquals(new Rev(3, "c"), disagreeing.rev(), json);
            assertEquals(List.of("c", "b"), disagreeing.revisions().ids());
        }
    }

    @Test
    void revisionsLongerThanTheirStartAreRejected() {
        rejected("{\"_id\":\"a\",\"_revisions\":{\"start\":1,\"ids\":[\"b\",\"a\"]}}");
    }

    @Test
    void noIdLeavesItToTheCaller() {
        ParsedDoc doc = parse("{\"x\":1}");
        assertNull(doc.id());
        assertFalse(doc.deleted());
    }

    @Test
    void textAfterTheJsonValueIsMalformed() {
        ArborException e = assertThrows(ArborException.class, () -> Json.parse("{\"a\":1} trailing"));
        assertEquals("bad_request", e.error());
    }

    @Test
    void tooDeeplyNestedJsonIsRefusedNotAStackOverflow() {
        String deep = "{\"a\":" + "[".repeat(Json.MAX_NESTING_DEPTH + 10) + "]".repeat(Json.MAX_NESTING_DEPTH + 10) + "}";
        ArborException e = assertThrows(ArborException.class, () -> Json.parse(deep));
        assertEquals("bad_request", e.error());
    }
}
