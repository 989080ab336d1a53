package dev.arbor.core.json;

import dev.arbor.core.error.ArborException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JsonTest {
    private static final String DUPLICATED = "{\"a\":1,\"a\":2}";

    @Test
    void aRepeatedMemberIsAcceptedAndTheLastOneWinsAsInCouchDb() {
        var parsed = Json.parse(DUPLICATED);
        assertEquals(1, parsed.size());
        assertEquals(2, parsed.get("a").intValue());
        assertEquals("{\"a\":2}", Json.text(parsed));
        assertEquals(2, Json.parse(DUPLICATED.getBytes(StandardCharsets.UTF_8)).get("a").intValue());
    }

    @Test
    void aRepeatedMemberTakesItsLastPlaceAsInCouchDb() {
        assertEquals("{\"y\":2,\"x\":3}", Json.text(Json.parse("{\"x\":1,\"y\":2,\"x\":3}")));
        assertEquals("{\"a\":{\"q\":2,\"p\":3}}", Json.text(Json.parse("{\"a\":{\"p\":1,\"q\":2,\"p\":3}}")));
    }

    @Test
    void storedBodiesKeepTheLastValueOfARepeatedMember() throws Exception {
        assertEquals(2, Json.STORED.readTree(DUPLICATED.getBytes(StandardCharsets.UTF_8)).get("a").intValue());
    }

    @Test
    void anUnclosedObjectSaysWhereItStartedInPlainWordsNotJacksonsSourceNote() {
        var e = assertThrows(ArborException.BadRequest.class, () -> Json.parse("{\"n\":1"));
        assertTrue(e.reason().contains("start marker at line 1, column 1"), e.reason());
        assertTrue(!e.reason().contains("Source:") && !e.reason().contains("REDACTED"), e.reason());
    }

    @Test
    void malformedJsonIsCouchDbsBadRequestSayingWhatIsWrongAndWhere() {
        var e = assertThrows(ArborException.BadRequest.class, () -> Json.parse("{\"a\":tru}"));
        assertEquals("bad_request", e.error());
        assertTrue(e.reason().startsWith("invalid UTF-8 JSON: "), e.reason());
        assertTrue(e.reason().contains("line 1, column"), e.reason());
        var empty = assertThrows(ArborException.BadRequest.class, () -> Json.parse(""));
        assertTrue(empty.reason().startsWith("invalid UTF-8 JSON: "), empty.reason());
        var huge = assertThrows(ArborException.BadRequest.class, () -> Json.parse("1e22222222222"));
        assertTrue(huge.reason().startsWith("invalid UTF-8 JSON: "), huge.reason());
    }

    @Test
    void storedReaderKeepsExactDecimals() throws Exception {
        assertEquals("1.10", Json.STORED.readTree("{\"n\":1.10}".getBytes(StandardCharsets.UTF_8)).get("n").decimalValue().toPlainString());
    }

    @Test
    void floatsWrittenWithAnExponentAndNoFractionStayFloats() {
        // CouchDB answers 15.0, 5.0 and -2.0 for these; an integer here would change the stored body and its rev id.
        assertEquals("{\"a\":15.0,\"b\":5.0,\"c\":-2.0,\"d\":1E+2,\"e\":7}",
                Json.text(Json.parse("{\"a\":1.5e1,\"b\":5e0,\"c\":-2E0,\"d\":1e2,\"e\":7}")));
    }

    @Test
    void aCharacterOutsideTheBmpIsWrittenAsUtf8NotAsEscapedSurrogates() throws Exception {
        // CouchDB's replicator parses _changes with json_stream_parse, which dies on an escaped surrogate pair.
        var doc = Json.parseObject("{\"_id\":\"tree-\uD83C\uDF33\"}");
        String expected = "{\"_id\":\"tree-\uD83C\uDF33\"}";
        assertEquals(expected, new String(Json.bytes(doc), StandardCharsets.UTF_8));
        assertEquals(expected, new String(Json.MAPPER.writeValueAsBytes(doc), StandardCharsets.UTF_8));
    }
}
