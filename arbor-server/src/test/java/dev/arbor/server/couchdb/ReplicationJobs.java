package dev.arbor.server.couchdb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.core.json.Json;
import dev.arbor.testkit.CouchDbPeer;

import java.time.Duration;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Replications as a user starts them on either server, in CouchDB's shapes: a {@code POST /_replicate}, or a
 * document in {@code _replicator} followed through {@code GET /_scheduler/docs/_replicator/ID}.
 */
final class ReplicationJobs {
    private static final Duration POLL = Duration.ofMillis(100);

    private ReplicationJobs() {}

    /**
     * Makes CouchDB start replication jobs at once: its scheduler delays each start by up to
     * {@code startup_jitter} (5 s by default, to spread a restart's jobs), which would dominate the run time of
     * tests that replicate a few hundred documents many times.
     */
    static void startJobsAtOnce(Side couch) {
        couch.json("PUT", "/_node/_local/_config/replicator/startup_jitter", "\"0\"");
    }

    static ObjectNode spec(String source, String target) {
        return Json.object().put("source", source).put("target", target);
    }

    /** {@code POST /_replicate} on {@code driver}, to its end; its answer. */
    static JsonNode replicate(Side driver, ObjectNode spec) {
        return driver.json("POST", "/_replicate", Json.text(spec));
    }

    /** Creates a {@code _replicator} document on {@code driver}; its id. */
    static String createDoc(Side driver, ObjectNode spec) {
        String id = "job-" + UUID.randomUUID();
        driver.json("PUT", "/_replicator/" + id, Json.text(spec));
        return id;
    }

    /** The scheduler's view of a {@code _replicator} document, or null while the scheduler has not seen it. */
    static JsonNode schedulerDoc(Side driver, String docId) {
        CouchDbPeer.Response r = driver.request("GET", "/_scheduler/docs/_replicator/" + docId, null);
        return r.status() == 200 ? Json.parse(r.body()) : null;
    }

    /** Runs a one-shot {@code _replicator} document to {@code completed}, deletes it, and returns its {@code doc_write_failures}. */
    static long runDoc(Side driver, ObjectNode spec, Duration timeout) {
        String id = createDoc(driver, spec);
        JsonNode done = awaitValue(timeout, () -> {
            JsonNode doc = schedulerDoc(driver, id);
            String state = doc == null ? "" : doc.path("state").asText();
            if (state.equals("failed") || state.equals("error") || state.equals("crashing")) {
                throw new AssertionError(driver + " failed the replication " + spec + ": " + doc);
            }
            return state.equals("completed") ? doc : null;
        }, () -> driver + " did not complete _replicator/" + id + ": " + schedulerDoc(driver, id));
        deleteDoc(driver, id);
        return done.path("info").path("doc_write_failures").asLong();
    }

    static void deleteDoc(Side driver, String id) {
        String rev = driver.get("/_replicator/" + id).path("_rev").asText();
        driver.json("DELETE", "/_replicator/" + id + "?rev=" + rev, null);
    }

    /** Waits until {@code value} answers non-null; fails with {@code describe} at the timeout. */
    static <T> T awaitValue(Duration timeout, Supplier<T> value, Supplier<String> describe) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            T v = value.get();
            if (v != null) {
                return v;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + ": " + describe.get());
            }
            pause();
        }
    }

    static void await(Duration timeout, BooleanSupplier condition, Supplier<String> describe) {
        awaitValue(timeout, () -> condition.getAsBoolean() ? Boolean.TRUE : null, describe);
    }

    private static void pause() {
        try {
            Thread.sleep(POLL.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** The doc count of a database, for progress messages. */
    static long docCount(Side side, String db) {
        return side.get("/" + db).path("doc_count").asLong();
    }

    static void assertOk(JsonNode answer) {
        assertEquals(true, answer.path("ok").asBoolean(false), answer::toString);
    }
}
