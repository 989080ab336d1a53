package dev.arbor.server.couchdb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The proof every way of replicating between CouchDB and Arbor goes through, on a fresh database pair:
 * each side seeds its half of {@link InteropData}, CouchDB's is pushed to Arbor and Arbor's pulled back
 * (each run writes exactly the other side's documents), both sides make conflicting edits, both directions
 * run again, and a further run each way writes nothing; then both hold the same {@link ReplicaState}, with
 * the outcome two CouchDBs would reach.
 */
final class InteropProof {
    /** Which way a run copies. */
    enum Direction {
        COUCH_TO_ARBOR, ARBOR_TO_COUCH;

        Side source(Side couch, Side arbor) {
            return this == COUCH_TO_ARBOR ? couch : arbor;
        }

        Side target(Side couch, Side arbor) {
            return this == COUCH_TO_ARBOR ? arbor : couch;
        }
    }

    /**
     * What one run did: how many document updates the target took (the growth of its {@code update_seq}, since
     * CouchDB's {@code docs_written} in a {@code _replicate} answer and in {@code _scheduler/docs} adds up all the
     * sessions of a replication, and Arbor's counts the last one), and the failures the replicator reported.
     */
    record Run(long written, long writeFailures) {}

    /** Runs one replication of the pair in {@code direction} to its end; the {@code doc_write_failures} it reported. */
    interface Replicate {
        long run(Direction direction) throws Exception;
    }

    /** {@code doc_write_failures} of a {@code _replicate} answer (none when {@code no_changes}). */
    static long failures(JsonNode replicateAnswer) {
        return replicateAnswer.path("history").path(0).path("doc_write_failures").asLong();
    }

    /** The number of updates a database took: its {@code update_seq}, or the number that starts CouchDB's opaque one. */
    static long updates(Side side, String db) {
        JsonNode seq = side.get("/" + db).path("update_seq");
        return seq.isNumber() ? seq.asLong() : Long.parseLong(seq.asText().substring(0, seq.asText().indexOf('-')));
    }

    private InteropProof() {}

    static String uniqueDb(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** The proof on database {@code db} of both servers. */
    static void prove(Side couch, Side arbor, String db, Replicate replicate) throws Exception {
        prove(couch, db, arbor, db, replicate);
    }

    /** The proof between {@code couchDb} on {@code couch} and {@code arborDb} on {@code arbor}. */
    static void prove(Side couch, String couchDb, Side arbor, String arborDb, Replicate replicate) throws Exception {
        couch.json("PUT", "/" + couchDb, null);
        arbor.json("PUT", "/" + arborDb, null);
        int onCouch = InteropData.seed(couch, couchDb, "c");
        int onArbor = InteropData.seed(arbor, arborDb, "a");

        Pair pair = new Pair(couch, couchDb, arbor, arborDb, replicate);
        assertEquals(new Run(onCouch, 0), pair.run(Direction.COUCH_TO_ARBOR), "first push: CouchDB's documents");
        assertEquals(new Run(onArbor, 0), pair.run(Direction.ARBOR_TO_COUCH), "first pull: Arbor's documents, not CouchDB's coming back");

        InteropData.diverge(couch, couchDb, arbor, arborDb);
        // CouchDB changed 8 documents and added 12, Arbor changed 10 and added 12; the identical edit is on the
        // other side already, as the same revision, so it is not written again.
        assertEquals(new Run(InteropData.CHANGED_ON_COUCH - 1, 0), pair.run(Direction.COUCH_TO_ARBOR), "CouchDB's edits");
        assertEquals(new Run(InteropData.CHANGED_ON_ARBOR - 1, 0), pair.run(Direction.ARBOR_TO_COUCH), "Arbor's edits");

        assertEquals(new Run(0, 0), pair.run(Direction.COUCH_TO_ARBOR), "a second push writes nothing");
        assertEquals(new Run(0, 0), pair.run(Direction.ARBOR_TO_COUCH), "a second pull writes nothing");

        ReplicaState left = ReplicaState.of(couch, couchDb);
        ReplicaState right = ReplicaState.of(arbor, arborDb);
        ReplicaState.assertSame(left, right, couchDb + " on " + couch + " and " + arborDb + " on " + arbor);
        InteropData.assertCouchDbOutcome(left, couch.name());
    }

    /**
     * A pull resumed from its checkpoint: 30 documents replicated, 5 more written on the source, and the second
     * run starts where the first one's checkpoint says ({@code start_last_seq} is the first's {@code source_last_seq},
     * opaque CouchDB sequences included) and writes just the 5.
     */
    static void proveResumedPull(Side driver, Side source, Side target, String db, ObjectNode spec) {
        source.json("PUT", "/" + db, null);
        target.json("PUT", "/" + db, null);
        InteropData.writePlain(source, db, 0, 30);
        long before = updates(target, db);
        JsonNode first = ReplicationJobs.replicate(driver, spec);
        assertEquals(30, updates(target, db) - before, first::toString);

        InteropData.writePlain(source, db, 30, 5);
        before = updates(target, db);
        JsonNode second = ReplicationJobs.replicate(driver, spec);
        assertEquals(5, updates(target, db) - before, "only what was written since: " + second);
        assertEquals(first.path("source_last_seq"), second.path("history").path(0).path("start_last_seq"),
                "it started from the first run's checkpoint: " + second);
        assertEquals(0, failures(second), second::toString);
        assertEquals(35, target.get("/" + db).path("doc_count").asLong());
    }

    private record Pair(Side couch, String couchDb, Side arbor, String arborDb, Replicate replicate) {
        Run run(Direction direction) throws Exception {
            Side target = direction.target(couch, arbor);
            String db = target == couch ? couchDb : arborDb;
            long before = updates(target, db);
            long failures = replicate.run(direction);
            return new Run(updates(target, db) - before, failures);
        }
    }
}
