package dev.arbor.replication;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.api.ChangesOptions;
import dev.arbor.api.Database;
import dev.arbor.api.GetOptions;
import dev.arbor.api.OpenRev;
import dev.arbor.core.error.ArborException;

import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Asserts that two databases hold the same documents: the same leaves with the same ancestry and bodies, the same winner and conflicts. */
final class Convergence {
    private static final GetOptions LEAVES = GetOptions.DEFAULT.revs(true);
    private static final GetOptions WINNER = GetOptions.DEFAULT.conflicts(true).deletedConflicts(true);

    private Convergence() {}

    /** Returns how many documents (live or deleted) were compared. */
    static int assertSameDocuments(Database a, Database b) {
        TreeSet<String> ids = ids(a);
        assertEquals(ids, ids(b), "both sides know the same document ids");
        for (String id : ids) {
            assertEquals(leaves(a, id), leaves(b, id), "leaves and _revisions of " + id);
            assertEquals(winner(a, id), winner(b, id), "winner and _conflicts of " + id);
        }
        return ids.size();
    }

    private static TreeSet<String> ids(Database db) {
        TreeSet<String> ids = new TreeSet<>();
        db.changes(ChangesOptions.DEFAULT, row -> ids.add(row.id()));
        return ids;
    }

    private static Map<String, ObjectNode> leaves(Database db, String id) {
        Map<String, ObjectNode> leaves = new TreeMap<>();
        for (OpenRev leaf : db.getOpenRevs(id, null, LEAVES)) {
            assertTrue(leaf instanceof OpenRev.Found, "every leaf of " + id + " is stored");
            ObjectNode doc = ((OpenRev.Found) leaf).doc();
            leaves.put(doc.get("_rev").asText(), doc);
        }
        return leaves;
    }

    private static String winner(Database db, String id) {
        try {
            return db.get(id, WINNER).toString();
        } catch (ArborException.NotFound e) {
            return "not_found: " + e.reason();
        }
    }
}
