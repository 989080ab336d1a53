package dev.arbor.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arbor.core.error.ArborException;
import dev.arbor.core.json.Json;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SeqTest {
    /** What CouchDB 3.5 answered as a database's update_seq. */
    private static final String COUCHDB_SEQ =
            "3-g1AAAACzeJzLYWBgYMpgTmEQT84vTc5ISdI1NDMwMHQwNDLXMwBCwxyQgjwWIMnQAKT-A0FWBnMiUy5QgD0xLdnI2NgQt26CJicyJNVDjWQEG2mSmmSZYpSIW1sWAIa2LVM";

    @Test
    void aCouchDbSequenceGoesBackExactlyAsItCame() {
        JsonNode received = Json.parse("\"" + COUCHDB_SEQ + "\"");
        Seq seq = Seq.fromJson(received);
        assertEquals(new Seq.Token(COUCHDB_SEQ), seq);
        assertEquals(received, seq.toJson(), "the same JSON string out");
        assertEquals(COUCHDB_SEQ, seq.toParam(), "and the same text as a since parameter");
        assertEquals(3, seq.number(), "its digits only as a progress figure");
    }

    @Test
    void aStringOfDigitsFromAPeerStaysAString() {
        Seq seq = Seq.fromJson(Json.parse("\"12\""));
        assertEquals(new Seq.Token("12"), seq);
        assertTrue(seq.toJson().isTextual());
    }

    @Test
    void arborsOwnSequencesAreJsonNumbers() {
        Seq seq = Seq.of(7460);
        assertTrue(seq.toJson().isIntegralNumber());
        assertEquals("7460", Json.MAPPER.valueToTree(Json.object().set("seq", seq.toJson())).path("seq").toString());
        assertEquals(seq, Seq.fromJson(Json.parse("7460")));
        assertEquals("7460", seq.toParam());
        assertSame(Seq.ZERO, Seq.of(0));
        assertSame(Seq.ZERO, Seq.fromJson(null), "a server that sends none is at the start");
        assertSame(Seq.ZERO, Seq.fromJson(Json.parse("null")));
    }

    @Test
    void jacksonWritesAndReadsTheSameJson() throws Exception {
        assertEquals("[5,\"" + COUCHDB_SEQ + "\"]", Json.MAPPER.writeValueAsString(List.of(Seq.of(5), new Seq.Token(COUCHDB_SEQ))));
        assertEquals(new Seq.Token(COUCHDB_SEQ), Json.MAPPER.readValue("\"" + COUCHDB_SEQ + "\"", Seq.class));
        assertEquals(Seq.of(5), Json.MAPPER.readValue("5", Seq.class));
    }

    @Test
    void aQueryParameterOfDigitsIsALocalSequenceAndAnythingElseAToken() {
        assertEquals(Seq.of(42), Seq.parse("42"));
        assertEquals(new Seq.Token(COUCHDB_SEQ), Seq.parse(COUCHDB_SEQ));
        assertInstanceOf(Seq.Token.class, Seq.parse("99999999999999999999"), "too long for a number: kept as text");
    }

    @Test
    void asALocalSequenceANumberOrANumericPrefixIsReadAndGarbageIsCouchDbsBadRequest() {
        assertEquals(12, Seq.of(12).toLocal());
        assertEquals(12, new Seq.Token("12").toLocal());
        assertEquals(3, new Seq.Token(COUCHDB_SEQ).toLocal());
        for (String bad : List.of("", "now", "-1", "12abc", "g1AA-12", "99999999999999999999")) {
            ArborException.BadRequest e = assertThrows(ArborException.BadRequest.class, () -> new Seq.Token(bad).toLocal(), bad);
            assertEquals("bad_request", e.error());
            assertEquals("Malformed sequence supplied in 'since' parameter.", e.reason());
        }
        assertThrows(IllegalArgumentException.class, () -> Seq.of(-1));
        assertThrows(ArborException.BadRequest.class, () -> Seq.fromJson(Json.parse("{}")));
        assertThrows(ArborException.BadRequest.class, () -> Seq.fromJson(Json.parse("-3")));
    }
}
