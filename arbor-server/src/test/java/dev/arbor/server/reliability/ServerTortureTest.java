package dev.arbor.server.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.core.json.Json;
import dev.arbor.server.replicator.proof.ChildArborServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Crash consistency in server mode: an {@link dev.arbor.server.ArborServer} in a child JVM is killed with SIGKILL
 * again and again while this test writes a random mix to it over HTTP (single PUTs and updates, {@code _bulk_docs},
 * inline attachments, {@code _local} docs, deletes, {@code new_edits=false} conflicts) and logs every acknowledged
 * result. After each restart on the same data directory:
 * <ul>
 *   <li>every acknowledged revision is in its document's revision tree (a leaf or an ancestor of one);</li>
 *   <li>an acknowledged attachment whose revision still wins reads back byte for byte;</li>
 *   <li>every acknowledged {@code _local} doc is there at its acknowledged revision or a later one;</li>
 *   <li>every {@code _bulk_docs} request, acknowledged or not, is all there or not there at all;</li>
 *   <li>{@code doc_count} equals the rows of {@code _all_docs}, and {@code doc_count + doc_del_count} the rows of
 *       {@code _changes}.</li>
 * </ul>
 * Short by default (6 kills); {@code -Darbor.torture.kills=300 -Darbor.torture.seed=N} for a long run.
 */
class ServerTortureTest {
    private static final int KILLS = Integer.getInteger("arbor.torture.kills", 6);
    private static final long SEED = Long.getLong("arbor.torture.seed", System.nanoTime());
    private static final String DB = "torture";

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Random random = new Random(SEED);

    /** Acknowledged revisions per document id. */
    private final Map<String, Set<String>> ackedRevs = new HashMap<>();
    /** The latest acknowledged attachment per document: the revision it was written at and its bytes. */
    private final Map<String, Map.Entry<String, byte[]>> ackedAttachments = new HashMap<>();
    private final Map<String, Long> ackedLocal = new HashMap<>();
    /** Every bulk request sent, by the ids it created. */
    private final List<List<String>> bulks = new ArrayList<>();
    /** What the client believes each document's winning revision is (refreshed after each restart). */
    private final Map<String, String> known = new LinkedHashMap<>();
    private final Map<String, Long> localKnown = new HashMap<>();
    private int serial;
    private long acknowledged;

    @Test
    @Timeout(600)
    void everyAcknowledgedWriteSurvivesSigkillAndBulkWritesAreAllOrNothing() throws Exception {
        Path data = dir.resolve("data");
        Process child = ChildArborServer.launch(data, 0, "256m");
        int port = ChildArborServer.portOf(child);
        URI base = URI.create("http://127.0.0.1:" + port + "/");
        try {
            assertEquals(201, send("PUT", base.resolve(DB), null).statusCode());
            for (int kill = 0; kill < KILLS; kill++) {
                AtomicBoolean dead = new AtomicBoolean();
                Process victim = child;
                long lifetime = 300 + random.nextInt(700);
                Thread killer = Thread.ofVirtual().start(() -> {
                    try {
                        Thread.sleep(lifetime);
                    } catch (InterruptedException ignored) {
                        return;
                    }
                    dead.set(true);
                    victim.destroyForcibly(); // SIGKILL on Unix
                });
                while (!dead.get()) {
                    try {
                        step(base);
                    } catch (IOException killedMidRequest) {
                        break; // unacknowledged: whatever it was may or may not have landed
                    }
                }
                killer.join();
                assertTrue(victim.waitFor(120, TimeUnit.SECONDS), "the killed server exits"); // the timeout only ends a hung test
                child = ChildArborServer.launch(data, port, "256m");
                ChildArborServer.portOf(child);
                verify(base);
            }
            System.out.printf("server torture: seed %d, %d kills, %d acknowledged writes verified, %d bulk requests checked%n",
                    SEED, KILLS, acknowledged, bulks.size());
        } finally {
            child.destroyForcibly();
            child.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** One random write; acknowledged results are logged. */
    private void step(URI base) throws IOException, InterruptedException {
        int op = random.nextInt(100);
        List<String> ids = new ArrayList<>(known.keySet());
        if (op < 25 || ids.isEmpty()) {
            String id = "single-" + serial++;
            ack(id, send("PUT", base.resolve(DB + "/" + id), "{\"v\":" + serial + "}"));
        } else if (op < 45) {
            String id = ids.get(random.nextInt(ids.size()));
            ObjectNode doc = Json.object().put("_rev", known.get(id)).put("v", serial++);
            ack(id, send("PUT", base.resolve(DB + "/" + id), Json.MAPPER.writeValueAsString(doc)));
        } else if (op < 65) {
            List<String> bulkIds = new ArrayList<>();
            ArrayNode docs = Json.MAPPER.createArrayNode();
            int n = 2 + random.nextInt(20);
            for (int i = 0; i < n; i++) {
                String id = "bulk-" + serial++;
                bulkIds.add(id);
                docs.add(Json.object().put("_id", id).put("pad", "x".repeat(random.nextInt(200))));
            }
            bulks.add(bulkIds); // logged before sending: an unacknowledged bulk is checked too
            HttpResponse<String> response = send("POST", base.resolve(DB + "/_bulk_docs"),
                    "{\"docs\":" + docs + "}");
            if (response.statusCode() == 201) {
                for (JsonNode result : Json.parse(response.body())) {
                    assertTrue(result.path("ok").asBoolean(), result.toString());
                    recordAck(result.path("id").asText(), result.path("rev").asText());
                }
            }
        } else if (op < 75) {
            String id = ids.get(random.nextInt(ids.size()));
            byte[] bytes = new byte[1 + random.nextInt(4096)];
            random.nextBytes(bytes);
            ObjectNode doc = Json.object().put("_rev", known.get(id));
            doc.putObject("_attachments").putObject("blob").put("content_type", "application/octet-stream")
                    .put("data", Base64.getEncoder().encodeToString(bytes));
            HttpResponse<String> response = send("PUT", base.resolve(DB + "/" + id), Json.MAPPER.writeValueAsString(doc));
            String rev = ack(id, response);
            if (rev != null) {
                ackedAttachments.put(id, Map.entry(rev, bytes));
            }
        } else if (op < 83) {
            String id = "local-" + random.nextInt(5);
            ObjectNode doc = Json.object().put("v", serial++);
            if (localKnown.containsKey(id)) {
                doc.put("_rev", "0-" + localKnown.get(id));
            }
            HttpResponse<String> response = send("PUT", base.resolve(DB + "/_local/" + id), Json.MAPPER.writeValueAsString(doc));
            if (response.statusCode() == 201) {
                long rev = Long.parseLong(Json.parse(response.body()).path("rev").asText().substring(2));
                localKnown.put(id, rev);
                ackedLocal.put(id, rev);
                acknowledged++;
            }
        } else if (op < 92) {
            String id = ids.get(random.nextInt(ids.size()));
            HttpResponse<String> response = send("DELETE", base.resolve(DB + "/" + id + "?rev=" + known.get(id)), null);
            if (response.statusCode() == 200) {
                recordAck(id, Json.parse(response.body()).path("rev").asText());
                known.remove(id);
            }
        } else {
            // A replicated edit: a sibling branch at position 1 with a hash of our choosing, i.e. a conflict.
            String id = ids.get(random.nextInt(ids.size()));
            String rev = "1-" + String.format("%032x", random.nextLong() & Long.MAX_VALUE);
            HttpResponse<String> response = send("POST", base.resolve(DB + "/_bulk_docs"),
                    "{\"new_edits\":false,\"docs\":[{\"_id\":\"" + id + "\",\"_rev\":\"" + rev + "\",\"conflict\":true}]}");
            if (response.statusCode() == 201) {
                ackedRevs.computeIfAbsent(id, k -> new HashSet<>()).add(rev);
                acknowledged++;
            }
        }
    }

    private String ack(String id, HttpResponse<String> response) {
        if (response.statusCode() != 201) {
            return null; // a conflict from a stale view after a restart is a refusal, not a loss
        }
        String rev = Json.parse(response.body()).path("rev").asText();
        recordAck(id, rev);
        return rev;
    }

    private void recordAck(String id, String rev) {
        ackedRevs.computeIfAbsent(id, k -> new HashSet<>()).add(rev);
        known.put(id, rev);
        acknowledged++;
    }

    private void verify(URI base) throws Exception {
        for (Map.Entry<String, Set<String>> entry : ackedRevs.entrySet()) {
            Set<String> tree = revisionTree(base, entry.getKey());
            for (String rev : entry.getValue()) {
                assertTrue(tree.contains(rev), "acknowledged " + entry.getKey() + " " + rev + " is lost (seed " + SEED + ")");
            }
        }
        JsonNode allDocs = Json.parse(send("GET", base.resolve(DB + "/_all_docs"), null).body());
        Map<String, String> winners = new HashMap<>();
        allDocs.path("rows").forEach(row -> winners.put(row.path("id").asText(), row.path("value").path("rev").asText()));
        for (Map.Entry<String, Map.Entry<String, byte[]>> att : ackedAttachments.entrySet()) {
            String rev = att.getValue().getKey();
            if (rev.equals(winners.get(att.getKey()))) {
                HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(
                        base.resolve(DB + "/" + att.getKey() + "/blob")).build(), HttpResponse.BodyHandlers.ofByteArray());
                if (response.statusCode() == 200) {
                    assertTrue(java.util.Arrays.equals(att.getValue().getValue(), response.body()),
                            "attachment of " + att.getKey() + " differs");
                } else {
                    // No standalone attachment route: read it inline instead.
                    JsonNode doc = Json.parse(send("GET", base.resolve(DB + "/" + att.getKey() + "?attachments=true"), null).body());
                    byte[] stored = Base64.getDecoder().decode(doc.path("_attachments").path("blob").path("data").asText());
                    assertTrue(java.util.Arrays.equals(att.getValue().getValue(), stored), "attachment of " + att.getKey() + " differs");
                }
            }
        }
        for (Map.Entry<String, Long> local : ackedLocal.entrySet()) {
            HttpResponse<String> response = send("GET", base.resolve(DB + "/_local/" + local.getKey()), null);
            assertEquals(200, response.statusCode(), "acknowledged _local/" + local.getKey() + " is lost");
            long rev = Long.parseLong(Json.parse(response.body()).path("_rev").asText().substring(2));
            assertTrue(rev >= local.getValue(), "_local/" + local.getKey() + " went back from " + local.getValue() + " to " + rev);
            localKnown.put(local.getKey(), rev);
        }
        for (List<String> bulk : bulks) {
            long present = bulk.stream().filter(id -> ackedRevs.containsKey(id) || winners.containsKey(id)
                    || existsAtAll(base, id)).count();
            assertTrue(present == 0 || present == bulk.size(),
                    "a _bulk_docs request is half there: " + present + " of " + bulk.size() + " (seed " + SEED + ")");
        }
        JsonNode info = Json.parse(send("GET", base.resolve(DB), null).body());
        assertEquals(allDocs.path("rows").size(), info.path("doc_count").asLong(), "doc_count vs _all_docs");
        JsonNode changes = Json.parse(send("GET", base.resolve(DB + "/_changes"), null).body());
        assertEquals(info.path("doc_count").asLong() + info.path("doc_del_count").asLong(), changes.path("results").size(),
                "doc_count + doc_del_count vs _changes");
        // The client's view follows what is there now (unacknowledged writes may have landed).
        known.clear();
        known.putAll(winners);
    }

    /** Every revision in the document's tree: its leaves and their ancestors. */
    private Set<String> revisionTree(URI base, String id) throws Exception {
        HttpResponse<String> response = send("GET", base.resolve(DB + "/" + id + "?open_revs=all&revs=true"), null);
        Set<String> revs = new HashSet<>();
        if (response.statusCode() != 200) {
            return revs;
        }
        for (JsonNode leaf : Json.parse(response.body())) {
            JsonNode doc = leaf.path("ok");
            JsonNode revisions = doc.path("_revisions");
            long start = revisions.path("start").asLong();
            int i = 0;
            for (JsonNode hash : revisions.path("ids")) {
                revs.add((start - i++) + "-" + hash.asText());
            }
            revs.add(doc.path("_rev").asText());
        }
        return revs;
    }

    private boolean existsAtAll(URI base, String id) {
        try {
            return !revisionTree(base, id).isEmpty();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private HttpResponse<String> send(String method, URI uri, String json) throws IOException, InterruptedException {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                .header("Accept", "application/json");
        if (json != null) {
            builder.header("Content-Type", "application/json");
        }
        return http.send(builder.method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

}
