package dev.arbor.server.replicator.proof;

import dev.arbor.api.Database;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The proof every pair of peers goes through: seed half of {@link DivergentData} on each side, sync
 * both ways, make conflicting edits on both sides, sync both ways again; then both hold the same
 * revision trees, winners and conflicts, and a further sync in each direction transfers nothing.
 */
final class ReplicationProof {
    /** What one replication run did. */
    record Run(long docsRead, long docsWritten) {}

    /** Runs one replication: {@code push} means a → b, otherwise b → a. */
    interface Replicate {
        Run run(boolean push) throws Exception;
    }

    private ReplicationProof() {}

    static void prove(Database a, Database b, Replicate replicate) throws Exception {
        DivergentData.seed(a, 0, DivergentData.DOCS / 2);
        DivergentData.seed(b, DivergentData.DOCS / 2, DivergentData.DOCS);
        assertEquals(DivergentData.DOCS / 2, replicate.run(true).docsWritten(), "first push: a's half");
        assertEquals(DivergentData.DOCS / 2, replicate.run(false).docsWritten(), "first pull: b's half, not a's coming back");

        DivergentData.diverge(a, b);
        Run push = replicate.run(true);
        Run pull = replicate.run(false);
        assertTrue(push.docsWritten() > 500 && pull.docsWritten() > 500, "the edits went both ways: " + push + " " + pull);

        assertEquals(new Run(0, 0), replicate.run(true), "a second push transfers nothing");
        assertEquals(new Run(0, 0), replicate.run(false), "a second pull transfers nothing");

        RevisionTrees left = RevisionTrees.of(a);
        RevisionTrees right = RevisionTrees.of(b);
        RevisionTrees.assertSame(left, right, "a and b");
        assertEquals(DivergentData.DOCS + 200, left.docCount());
        assertTrue(left.winners().values().stream().filter(w -> !w.endsWith("conflicts=[]")).count() >= 300,
                "conflicts were made and kept");
    }
}
