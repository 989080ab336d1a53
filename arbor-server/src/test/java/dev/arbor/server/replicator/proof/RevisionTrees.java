package dev.arbor.server.replicator.proof;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.api.AllDocsOptions;
import dev.arbor.api.BulkGetRequest;
import dev.arbor.api.BulkGetResult;
import dev.arbor.api.ChangesOptions;
import dev.arbor.api.Database;
import dev.arbor.api.GetOptions;
import dev.arbor.core.json.Json;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Everything replication must make equal on two databases, read through the {@link Database} contract
 * so a local database and a remote one (Arbor's server, pouchdb-server) are read alike, in bulk: the
 * leaves of every document from {@code _changes?style=all_docs}, each leaf with its body and
 * {@code _revisions} from {@code _bulk_get?revs=true}, and the winner with {@code _conflicts} of every
 * live document from {@code _all_docs?include_docs&conflicts}. (A deleted document's winner is its
 * highest deleted leaf, fixed by the leaves.)
 *
 * <p>Attachments are compared by name, content type and the MD5 of their bytes, read inline. Not by
 * {@code digest}: that is each store's own name for its encoding of the bytes, and the peers differ
 * there (Arbor and CouchDB digest the gzip stream of compressible types such as {@code text/plain},
 * PouchDB digests the plain bytes and recomputes it for replicated attachments). Not by {@code revpos}
 * either: bookkeeping that pouchdb-server does not keep for replicated attachments.
 */
record RevisionTrees(Map<String, Map<String, String>> leaves, Map<String, String> winners) {
    private static final int BATCH = 500;

    static RevisionTrees of(Database db) {
        Map<String, List<String>> leafRevs = new TreeMap<>();
        db.changes(ChangesOptions.DEFAULT.style(ChangesOptions.Style.ALL_DOCS),
                row -> leafRevs.put(row.id(), List.copyOf(row.changes())));
        Map<String, Map<String, String>> leaves = new TreeMap<>();
        List<BulkGetRequest> batch = new ArrayList<>();
        for (var entry : leafRevs.entrySet()) {
            for (String rev : entry.getValue()) {
                batch.add(new BulkGetRequest(entry.getKey(), rev));
                if (batch.size() == BATCH) {
                    readLeaves(db, batch, leaves);
                }
            }
        }
        readLeaves(db, batch, leaves);
        Map<String, String> winners = new TreeMap<>();
        db.allDocs(AllDocsOptions.DEFAULT.includeDocs(true).conflicts(true)).rows().forEach(row -> {
            JsonNode conflicts = row.doc().path("_conflicts");
            List<String> sorted = new ArrayList<>();
            conflicts.forEach(c -> sorted.add(c.asText()));
            sorted.sort(null);
            winners.put(row.id(), row.rev() + " conflicts=" + sorted);
        });
        return new RevisionTrees(leaves, winners);
    }

    private static void readLeaves(Database db, List<BulkGetRequest> batch, Map<String, Map<String, String>> leaves) {
        if (batch.isEmpty()) {
            return;
        }
        for (BulkGetResult result : db.bulkGet(batch, GetOptions.DEFAULT.revs(true).attachments(true))) {
            for (BulkGetResult.Entry entry : result.docs()) {
                if (!(entry instanceof BulkGetResult.Ok ok)) {
                    fail("a leaf listed by _changes cannot be read: " + entry);
                    return;
                }
                ObjectNode doc = normalized(ok.doc());
                leaves.computeIfAbsent(result.id(), id -> new TreeMap<>()).put(doc.path("_rev").asText(), Json.text(doc));
            }
        }
        batch.clear();
    }

    private static ObjectNode normalized(ObjectNode doc) {
        ObjectNode copy = doc.deepCopy();
        JsonNode attachments = copy.remove("_attachments");
        if (attachments != null) {
            ObjectNode summary = copy.putObject("_attachments");
            attachments.properties().forEach(e -> summary.put(e.getKey(),
                    e.getValue().path("content_type").asText() + " " + contentMd5(e.getValue())));
        }
        return (ObjectNode) canonical(copy);
    }

    private static String contentMd5(JsonNode attachment) {
        byte[] bytes = Base64.getDecoder().decode(attachment.path("data").asText());
        try {
            return "md5-" + Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError("every JDK has MD5", e);
        }
    }

    /** The same JSON with every object's keys sorted, so peers that order fields differently compare equal. */
    private static JsonNode canonical(JsonNode node) {
        if (node.isObject()) {
            ObjectNode sorted = Json.object();
            new TreeMap<String, JsonNode>() {{ node.properties().forEach(e -> put(e.getKey(), e.getValue())); }}
                    .forEach((k, v) -> sorted.set(k, canonical(v)));
            return sorted;
        }
        if (node.isArray()) {
            var array = Json.MAPPER.createArrayNode();
            node.forEach(item -> array.add(canonical(item)));
            return array;
        }
        return node;
    }

    int docCount() {
        return leaves.size();
    }

    /** Asserts both databases hold the same trees, naming the first document that differs. */
    static void assertSame(RevisionTrees expected, RevisionTrees actual, String what) {
        assertEquals(expected.leaves.keySet(), actual.leaves.keySet(), what + ": the same document ids");
        for (String id : expected.leaves.keySet()) {
            assertEquals(expected.leaves.get(id), actual.leaves.get(id), what + ": leaves and _revisions of " + id);
        }
        assertEquals(expected.winners, actual.winners, what + ": winners and _conflicts");
    }
}
