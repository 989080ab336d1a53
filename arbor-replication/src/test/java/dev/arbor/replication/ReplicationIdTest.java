package dev.arbor.replication;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReplicationIdTest {
    @Test
    void theSamePairAndSelectionGiveTheSameHexMd5() {
        ReplicationId one = ReplicationId.of("a", "http://host:5984/b", null, ReplicationOptions.DEFAULT);
        ReplicationId two = ReplicationId.of("a", "http://host:5984/b", null, ReplicationOptions.DEFAULT.batchSize(7));
        assertEquals(one, two, "batch size does not select documents, so it is not part of the id");
        assertTrue(one.base().matches("[0-9a-f]{32}"));
        assertEquals("_local/" + one.base(), one.checkpointDocId());
    }

    @Test
    void directionDocIdsAndFiltersChangeTheId() {
        ReplicationId base = ReplicationId.of("a", "b", null, ReplicationOptions.DEFAULT);
        assertNotEquals(base, ReplicationId.of("b", "a", null, ReplicationOptions.DEFAULT));
        assertNotEquals(base, ReplicationId.of("a", "b", null, ReplicationOptions.DEFAULT.docIds(List.of("x"))));
        assertNotEquals(base, ReplicationId.of("a", "b", null, ReplicationOptions.DEFAULT.javaFilter(new JavaFilter("f", d -> true))));
        assertNotEquals(base, ReplicationId.of("a", "b", "function(doc) { return true; }", ReplicationOptions.DEFAULT.filter("app/f")));
    }

    @Test
    void continuousAndCreateTargetAreAnExtensionSharingTheCheckpoint() {
        ReplicationId oneShot = ReplicationId.of("a", "b", null, ReplicationOptions.DEFAULT);
        ReplicationId live = ReplicationId.of("a", "b", null, ReplicationOptions.DEFAULT.continuous(true).createTarget(true));
        assertEquals(oneShot.base(), live.base());
        assertEquals(oneShot.base() + "+continuous+create_target", live.toString());
    }

    @Test
    void aDesignDocFilterCountsByItsCodeAndQueryParamsNotByItsName() {
        ReplicationOptions byType = ReplicationOptions.DEFAULT.filter("app/byType").queryParams(Map.of("type", "a"));
        String code = "function(doc, req) { return doc.type === req.query.type; }";
        ReplicationId id = ReplicationId.of("a", "b", code, byType);
        assertEquals(id, ReplicationId.of("a", "b", code, byType.filter("other/name")), "CouchDB hashes the code, not the name");
        assertNotEquals(id, ReplicationId.of("a", "b", code + " ", byType.queryParams(Map.of("type", "b"))));
        assertNotEquals(id, ReplicationId.of("a", "b", "function(doc, req) { return true; }", byType));
    }
}
