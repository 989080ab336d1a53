package dev.arbor.wire;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arbor.api.ChangeRow;
import dev.arbor.api.ChangesSummary;
import dev.arbor.api.DbInfo;
import dev.arbor.api.Seq;
import dev.arbor.core.json.Json;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Sequences on the wire: Arbor's own as JSON numbers, a peer's opaque token as the same string it came as. */
class SeqOnTheWireTest {
    /** What CouchDB 3.5 answered as a database's update_seq. */
    private static final String COUCHDB_SEQ =
            "3-g1AAAACzeJzLYWBgYMpgTmEQT84vTc5ISdI1NDMwMHQwNDLXMwBCwxyQgjwWIMnQAKT-A0FWBnMiUy5QgD0xLdnI2NgQt26CJicyJNVDjWQEG2mSmmSZYpSIW1sWAIa2LVM";

    @Test
    void aChangesAnswerCarriesEachSequenceInItsOwnForm() throws Exception {
        ChangeRow local = new ChangeRow(4, "a", List.of("1-x"), false, null);
        ChangeRow remote = new ChangeRow(new Seq.Token(COUCHDB_SEQ), "b", List.of("1-y"), false, null);
        assertTrue(CouchJson.changeRow(local).get("seq").isIntegralNumber());
        assertEquals(COUCHDB_SEQ, CouchJson.changeRow(remote).get("seq").textValue());
        DbInfo info = new DbInfo("db", 1, 0, new Seq.Token(COUCHDB_SEQ), 0, 0, 0, 0, false, false);
        assertEquals(COUCHDB_SEQ, CouchJson.dbInfo(info).get("update_seq").textValue());
        var out = new java.io.ByteArrayOutputStream();
        try (var generator = Json.MAPPER.createGenerator(out)) {
            ChangesJsonWriter writer = new ChangesJsonWriter(generator);
            writer.accept(remote);
            writer.finish(new ChangesSummary(new Seq.Token(COUCHDB_SEQ), 0));
        }
        JsonNode written = Json.parse(out.toString(java.nio.charset.StandardCharsets.UTF_8));
        assertEquals(COUCHDB_SEQ, written.path("last_seq").textValue());
        assertFalse(written.path("results").path(0).path("seq").isNumber());
    }
}
