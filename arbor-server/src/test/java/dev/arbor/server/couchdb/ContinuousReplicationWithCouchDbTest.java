package dev.arbor.server.couchdb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.api.Database;
import dev.arbor.client.RemoteOptions;
import dev.arbor.client.RemoteStorage;
import dev.arbor.core.json.Json;
import dev.arbor.replication.Replication;
import dev.arbor.replication.ReplicationListener;
import dev.arbor.replication.ReplicationOptions;
import dev.arbor.replication.Replicator;
import dev.arbor.testkit.CouchDbPeer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Continuous replication between CouchDB and Arbor under a sustained load of writes on both sides, long enough
 * to cross many of CouchDB's checkpoints (its continuous replicator checkpoints about every 5 s; a job whose
 * checkpoints the other side refuses dies after about a minute). Three database pairs sync both ways at once:
 * one by CouchDB's replicator (a {@code _replicator} document and a continuous {@code _replicate}), one by Arbor's
 * (the same two on Arbor), one by the Java {@link Replicator} with the remote client. While both sides of every
 * pair write new documents, attachments, deletions and edits of the same documents, a probe written on one side
 * must keep arriving on the other; afterwards every job is still running and never crashed, and both sides hold
 * the same revision trees.
 */
@Tag("slow")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ContinuousReplicationWithCouchDbTest {
    /** Minutes, not one: the failure this pins killed CouchDB's job after about a minute of checkpoints. */
    private static final Duration WRITING = Duration.ofSeconds(150);
    private static final Duration DELIVERY = Duration.ofSeconds(120); // only ends a wait for a delivery that never comes
    private static final int HOT_DOCS = 3;

    private CouchDbDifferential both;
    private Side couch;
    private Side arbor;
    private RemoteStorage couchClient;
    private final List<Runnable> cleanup = new ArrayList<>();

    @BeforeAll
    void start(@TempDir Path dir) {
        assumeTrue(CouchDbPeer.available(), CouchDbPeer.unavailableReason());
        both = CouchDbDifferential.start(dir);
        couch = Side.couch(both.couch());
        arbor = Side.arbor(both.arbor());
        ReplicationJobs.startJobsAtOnce(couch);
        // CouchDB's setup creates _replicator; on Arbor, as on a CouchDB set up by hand, the user creates it.
        arbor.request("PUT", "/_replicator", null);
        couchClient = new RemoteStorage(URI.create(both.couch().adminUrl()), RemoteOptions.DEFAULT);
    }

    @AfterAll
    void stop() {
        for (Runnable step : cleanup) {
            try {
                step.run();
            } catch (RuntimeException | AssertionError e) {
                // a job already gone; the servers stop below either way
            }
        }
        if (couchClient != null) {
            couchClient.close();
        }
        if (both != null) {
            both.close();
        }
    }

    /** A continuous job and how to ask whether it still runs untroubled. */
    record Job(String name, Supplier<String> trouble) {}

    @Test
    @Timeout(900) // only ends a hung test: 150 s of writes, then deliveries that a busy machine slows
    void continuousJobsOnBothServersKeepDeliveringThroughMinutesOfWrites() throws Exception {
        String byCouch = InteropProof.uniqueDb("continuous-couch");
        String byArbor = InteropProof.uniqueDb("continuous-arbor");
        String byJava = InteropProof.uniqueDb("continuous-java");
        List<String> dbs = List.of(byCouch, byArbor, byJava);
        for (String db : dbs) {
            couch.json("PUT", "/" + db, null);
            arbor.json("PUT", "/" + db, null);
            seedHotDocs(db);
        }
        List<Job> jobs = new ArrayList<>();
        jobs.add(replicatorDoc(couch, ReplicationJobs.spec(couch.dbUrl(byCouch), arbor.dbUrl(byCouch))));
        jobs.add(continuousReplicate(couch, ReplicationJobs.spec(arbor.dbUrl(byCouch), couch.dbUrl(byCouch))));
        jobs.add(replicatorDoc(arbor, ReplicationJobs.spec(byArbor, couch.dbUrl(byArbor))));
        jobs.add(continuousReplicate(arbor, ReplicationJobs.spec(couch.dbUrl(byArbor), byArbor)));
        jobs.addAll(javaSync(byJava));
        for (String db : dbs) {
            // Every one of them: CouchDB's replicator delivers a batch's documents from several workers at once, so
            // the last one seeded may arrive before the first.
            for (int i = 0; i < HOT_DOCS; i++) {
                String id = "hot-" + i;
                ReplicationJobs.await(DELIVERY, () -> arbor.request("GET", "/" + db + "/" + id, null).status() == 200,
                        () -> id + ", seeded on CouchDB, never reached Arbor in " + db);
            }
        }

        AtomicBoolean writing = new AtomicBoolean(true);
        ConcurrentLinkedQueue<String> writeErrors = new ConcurrentLinkedQueue<>();
        ExecutorService writers = Executors.newFixedThreadPool(dbs.size() * 2);
        List<Future<Integer>> written = new ArrayList<>();
        for (String db : dbs) {
            for (Side side : List.of(couch, arbor)) {
                written.add(writers.submit(() -> keepWriting(side, db, writing, writeErrors)));
            }
        }
        try {
            long end = System.nanoTime() + WRITING.toNanos();
            int probes = 0;
            while (System.nanoTime() < end) {
                for (String db : dbs) {
                    probe(couch, arbor, db, probes);
                    probe(arbor, couch, db, probes);
                }
                probes++;
                assertEquals(List.of(), troubles(jobs), "after " + probes + " probe rounds");
            }
            System.out.println("continuous interop: " + probes + " probe rounds each way on " + dbs.size() + " pairs in " + WRITING);
        } finally {
            writing.set(false);
            writers.shutdown();
            assertTrue(writers.awaitTermination(30, TimeUnit.SECONDS));
        }
        int total = 0;
        for (Future<Integer> f : written) {
            total += f.get();
        }
        assertEquals(List.of(), List.copyOf(writeErrors), "every write was accepted");
        System.out.println("continuous interop: " + total + " writes");

        for (String db : dbs) {
            ReplicationJobs.await(Duration.ofSeconds(60), () -> leaves(couch, db).equals(leaves(arbor, db)),
                    () -> db + " did not converge: " + difference(leaves(couch, db), leaves(arbor, db)));
        }
        assertEquals(List.of(), troubles(jobs), "every job still runs after the writes, and never crashed");
        for (String db : dbs) {
            ReplicaState onCouch = hotState(couch, db);
            ReplicaState onArbor = hotState(arbor, db);
            ReplicaState.assertSame(onCouch, onArbor, db);
        }
    }

    private static List<String> troubles(List<Job> jobs) {
        List<String> out = new ArrayList<>();
        for (Job job : jobs) {
            String trouble = job.trouble().get();
            if (!trouble.isEmpty()) {
                out.add(job.name() + ": " + trouble);
            }
        }
        return out;
    }

    private void seedHotDocs(String db) {
        List<ObjectNode> docs = new ArrayList<>();
        for (int i = 0; i < HOT_DOCS; i++) {
            docs.add(Json.object().put("_id", "hot-" + i).put("edits", 0));
        }
        InteropData.write(couch, db, docs);
    }

    /**
     * Writes on one side until told to stop: two new documents every round, every 5th round an edit of a hot
     * document (both sides edit them, so conflicts arise and travel), every 7th a deletion of an own document,
     * every 11th an attachment (text or binary). Returns how many writes it made.
     */
    private int keepWriting(Side side, String db, AtomicBoolean writing, ConcurrentLinkedQueue<String> errors) {
        Random random = new Random(side.name().hashCode() ^ db.hashCode());
        int writes = 0;
        for (int round = 0; writing.get(); round++) {
            List<ObjectNode> docs = new ArrayList<>();
            docs.add(Json.object().put("_id", side.name() + "-" + round + "-a").put("round", round));
            ObjectNode second = Json.object().put("_id", side.name() + "/" + round + "/é+?").put("round", round);
            if (round % 11 == 0) {
                byte[] data = round % 22 == 0 ? InteropData.text(50 * 1024) : InteropData.randomBytes(random, 50 * 1024);
                second.putObject("_attachments").putObject("a").put("content_type", round % 22 == 0 ? "text/plain" : "application/octet-stream")
                        .put("data", Base64.getEncoder().encodeToString(data));
            }
            docs.add(second);
            if (round % 7 == 6) {
                String victim = side.name() + "-" + (round - 6) + "-a";
                docs.add(Json.object().put("_id", victim).put("_rev", InteropData.rev(side, db, victim)).put("_deleted", true));
            }
            writes += write(side, db, docs, errors);
            if (round % 5 == 0) {
                writes += editHot(side, db, "hot-" + (round / 5) % HOT_DOCS, errors);
            }
            pause(150);
        }
        return writes;
    }

    private static int write(Side side, String db, List<ObjectNode> docs, ConcurrentLinkedQueue<String> errors) {
        ObjectNode body = Json.object();
        body.putArray("docs").addAll(docs);
        CouchDbPeer.Response r = side.request("POST", "/" + db + "/_bulk_docs", Json.text(body));
        if (r.status() != 201 || r.body().contains("\"error\"")) {
            errors.add(side + " " + db + ": " + r.status() + " " + r.body());
            return 0;
        }
        return docs.size();
    }

    /** An edit of the current winner; a replicated revision may land between the read and the write (409): skipped. */
    private static int editHot(Side side, String db, String id, ConcurrentLinkedQueue<String> errors) {
        ObjectNode doc = (ObjectNode) side.get(Side.docPath(db, id));
        doc.put("edits", doc.path("edits").asInt() + 1).put("by", side.name());
        CouchDbPeer.Response r = side.request("PUT", Side.docPath(db, id), Json.text(doc));
        if (r.status() == 409) {
            return 0;
        }
        if (r.status() != 201) {
            errors.add(side + " " + db + " " + id + ": " + r.status() + " " + r.body());
            return 0;
        }
        return 1;
    }

    /** A document written on {@code from} must arrive on {@code to} within {@link #DELIVERY}. */
    private static void probe(Side from, Side to, String db, int n) {
        String id = "probe-" + from.name() + "-" + n;
        from.json("PUT", Side.docPath(db, id), "{\"probe\":" + n + "}");
        long start = System.nanoTime();
        ReplicationJobs.await(DELIVERY, () -> to.request("GET", Side.docPath(db, id), null).status() == 200,
                () -> id + " written on " + from + " never reached " + to + " in " + db);
        long millis = (System.nanoTime() - start) / 1_000_000;
        if (millis > 10_000) {
            System.out.println("continuous interop: slow delivery of " + id + " in " + db + ": " + millis + " ms");
        }
    }

    /** Every document's leaf revs and deleted flag, from {@code _changes?style=all_docs}. */
    private static Map<String, String> leaves(Side side, String db) {
        Map<String, String> out = new TreeMap<>();
        side.get("/" + db + "/_changes?style=all_docs").path("results").forEach(row -> {
            List<String> revs = new ArrayList<>();
            row.path("changes").forEach(c -> revs.add(c.path("rev").asText()));
            revs.sort(null);
            out.put(row.path("id").asText(), revs + (row.path("deleted").asBoolean(false) ? " deleted" : ""));
        });
        return out;
    }

    private static String difference(Map<String, String> couch, Map<String, String> arbor) {
        List<String> out = new ArrayList<>();
        couch.forEach((id, leaves) -> {
            if (!leaves.equals(arbor.get(id))) {
                out.add(id + ": couchdb " + leaves + " arbor " + arbor.get(id));
            }
        });
        arbor.keySet().stream().filter(id -> !couch.containsKey(id)).forEach(id -> out.add(id + ": only on arbor"));
        return out.size() + " differ, e.g. " + out.subList(0, Math.min(5, out.size()));
    }

    /** The full state (trees, winners, conflicts, attachment bytes) of the hot documents and those with attachments. */
    private static ReplicaState hotState(Side side, String db) {
        ReplicaState all = ReplicaState.of(side, db, id -> id.startsWith("hot-") || withAttachment(id));
        assertFalse(all.docs().isEmpty());
        return all;
    }

    /** {@code side/round/é+?} of a round that attached something ({@link #keepWriting}). */
    private static boolean withAttachment(String id) {
        String[] parts = id.split("/");
        return parts.length == 3 && Integer.parseInt(parts[1]) % 11 == 0;
    }

    private Job replicatorDoc(Side driver, ObjectNode spec) {
        spec.put("continuous", true);
        String id = ReplicationJobs.createDoc(driver, spec);
        cleanup.add(() -> ReplicationJobs.deleteDoc(driver, id));
        ReplicationJobs.await(Duration.ofSeconds(30), () -> {
            JsonNode doc = ReplicationJobs.schedulerDoc(driver, id);
            return doc != null && doc.path("state").asText().equals("running");
        }, () -> driver + " _replicator/" + id + " never ran: " + ReplicationJobs.schedulerDoc(driver, id));
        return new Job(driver + " _replicator/" + id, () -> {
            JsonNode doc = ReplicationJobs.schedulerDoc(driver, id);
            boolean fine = doc != null && doc.path("state").asText().equals("running") && doc.path("error_count").asInt() == 0;
            return fine ? "" : String.valueOf(doc);
        });
    }

    private Job continuousReplicate(Side driver, ObjectNode spec) {
        spec.put("continuous", true);
        JsonNode started = ReplicationJobs.replicate(driver, spec);
        String localId = started.path("_local_id").asText();
        assertFalse(localId.isEmpty(), started::toString);
        cleanup.add(() -> driver.request("POST", "/_replicate",
                Json.text(Json.object().put("replication_id", localId).put("cancel", true))));
        String jobId = localId.replace("+", "%2B");
        return new Job(driver + " continuous _replicate " + localId, () -> {
            CouchDbPeer.Response r = driver.request("GET", "/_scheduler/jobs/" + jobId, null);
            if (r.status() != 200) {
                return r.status() + " " + r.body();
            }
            JsonNode job = Json.parse(r.body());
            for (JsonNode event : job.path("history")) {
                if (event.path("type").asText().equals("crashed")) {
                    return "crashed: " + job;
                }
            }
            return "";
        });
    }

    private List<Job> javaSync(String db) {
        Database remote = couchClient.database(db);
        Database local = both.arbor().storage().database(db);
        ReplicationOptions options = ReplicationOptions.DEFAULT.continuous(true).checkpointInterval(Duration.ofSeconds(5));
        Replication push = Replicator.start(local, remote, options, ReplicationListener.NONE);
        Replication pull = Replicator.start(remote, local, options, ReplicationListener.NONE);
        cleanup.add(push::cancel);
        cleanup.add(pull::cancel);
        return List.of(javaJob("java push", push), javaJob("java pull", pull));
    }

    private static Job javaJob(String name, Replication replication) {
        return new Job(name, () -> replication.isDone() ? "ended: " + replication.await() : "");
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
