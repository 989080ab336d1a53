package dev.arbor.replication;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReplicationIdTest {
    @Test
    void theSamePairAndSelectionGiveTheSameHexMd5() {
        ReplicationId one = ReplicationId.of("a", "http://host:5984/b", ReplicationOptions.DEFAULT);
        ReplicationId two = ReplicationId.of("a", "http://host:5984/b", ReplicationOptions.DEFAULT.batchSize(7));
        assertEquals(one, two, "batch size does not select documents, so it is not part of the id");
        assertTrue(one.base().matches("[0-9a-f]{32}"));
        assertEquals("_local/" + one.base(), one.checkpointDocId());
    }

    @Test
    void directionDocIdsAndFiltersChangeTheId() {
        ReplicationId base = ReplicationId.of("a", "b", ReplicationOptions.DEFAULT);
        assertNotEquals(base, ReplicationId.of("b", "a", ReplicationOptions.DEFAULT));
        assertNotEquals(base, ReplicationId.of("a", "b", ReplicationOptions.DEFAULT.docIds(List.of("x"))));
        assertNotEquals(base, ReplicationId.of("a", "b", ReplicationOptions.DEFAULT.javaFilter(new JavaFilter("f", d -> true))));
        assertNotEquals(base, ReplicationId.of("a", "b", ReplicationOptions.DEFAULT.filter("app/f")));
    }

    @Test
    void continuousAndCreateTargetAreAnExtensionSharingTheCheckpoint() {
        ReplicationId oneShot = ReplicationId.of("a", "b", ReplicationOptions.DEFAULT);
        ReplicationId live = ReplicationId.of("a", "b", ReplicationOptions.DEFAULT.continuous(true).createTarget(true));
        assertEquals(oneShot.base(), live.base());
        assertEquals(oneShot.base() + "+continuous+create_target", live.toString());
    }
}
