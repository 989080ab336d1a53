package dev.arbor.server.couchdb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.core.json.Json;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Everything replication must make equal on CouchDB and Arbor, read from each over HTTP the way a CouchDB
 * user would check it: the ids {@code _changes} lists; per document, its revision tree as the set of its
 * leaves' rev paths ({@code GET /db/id?open_revs=all&revs=true}), each with its body and attachment stubs
 * (content type, digest, length, revpos); the winner with {@code _conflicts} and {@code _deleted_conflicts}
 * ({@code ?conflicts=true&deleted_conflicts=true}); and the bytes of every attachment of every leaf.
 *
 * <p>Unlike the proof package's {@code RevisionTrees}, which reads through the {@code Database} contract
 * (bulk reads, no {@code _deleted_conflicts}, no attachment bodies), this reads each document as CouchDB
 * serves it, so the comparison does not depend on Arbor's own client.
 */
record ReplicaState(Map<String, Doc> docs) {

    /**
     * One document.
     *
     * @param leaves  per leaf, {@code start-hash,hash,...} (its rev path, newest first) mapped to its body
     * @param winner  the winning rev, {@code _conflicts} and {@code _deleted_conflicts}, or "deleted"
     * @param bytes   per {@code rev/attachment}, the SHA-256 of the bytes served
     * @param digests per {@code rev/attachment}, the {@code digest} of its stub
     */
    record Doc(Map<String, String> leaves, String winner, Map<String, String> bytes, Map<String, Digest> digests) {
        int leafCount() {
            return leaves.size();
        }
    }

    /**
     * An attachment's stub digest, with the two digests CouchDB could give its bytes: over the bytes, and, for a
     * compressible type, over the gzip stream CouchDB stores ({@link CouchDbDigests}).
     */
    record Digest(String contentType, String digest, String ofBytes, String ofGzip) {
        static Digest of(JsonNode stub, byte[] data) {
            String type = stub.path("content_type").asText();
            return new Digest(type, stub.path("digest").asText(), CouchDbDigests.ofBytes(data),
                    CouchDbDigests.compressible(type) ? CouchDbDigests.ofGzip(data) : null);
        }
    }

    static ReplicaState of(Side side, String db) {
        return of(side, db, id -> true);
    }

    /** The state of the documents whose ids {@code include} accepts. */
    static ReplicaState of(Side side, String db, Predicate<String> include) {
        Map<String, Boolean> deleted = new TreeMap<>();
        side.get("/" + db + "/_changes?style=all_docs").path("results").forEach(row -> {
            if (include.test(row.path("id").asText())) {
                deleted.put(row.path("id").asText(), row.path("deleted").asBoolean(false));
            }
        });
        Map<String, Doc> docs = new TreeMap<>();
        deleted.forEach((id, isDeleted) -> docs.put(id, doc(side, db, id, isDeleted)));
        return new ReplicaState(docs);
    }

    private static Doc doc(Side side, String db, String id, boolean deleted) {
        String path = Side.docPath(db, id);
        Map<String, String> leaves = new TreeMap<>();
        Map<String, String> bytes = new TreeMap<>();
        Map<String, Digest> digests = new TreeMap<>();
        for (JsonNode entry : side.get(path + "?open_revs=all&revs=true")) {
            JsonNode doc = entry.path("ok");
            if (!doc.isObject()) {
                throw new AssertionError(side + ": open_revs=all of " + id + " answered " + entry);
            }
            String rev = doc.path("_rev").asText();
            leaves.put(revPath(doc.path("_revisions")), body((ObjectNode) doc));
            doc.path("_attachments").properties().forEach(att -> {
                byte[] data = side.bytes(path + "/" + Side.segment(att.getKey()) + "?rev=" + rev);
                bytes.put(rev + "/" + att.getKey(), sha256(data));
                digests.put(rev + "/" + att.getKey(), Digest.of(att.getValue(), data));
            });
        }
        return new Doc(leaves, deleted ? "deleted" : winner(side, path), bytes, digests);
    }

    private static String winner(Side side, String path) {
        JsonNode doc = side.get(path + "?conflicts=true&deleted_conflicts=true");
        return doc.path("_rev").asText() + " conflicts=" + sorted(doc.path("_conflicts"))
                + " deleted_conflicts=" + sorted(doc.path("_deleted_conflicts"));
    }

    private static String revPath(JsonNode revisions) {
        List<String> ids = new ArrayList<>();
        revisions.path("ids").forEach(h -> ids.add(h.asText()));
        return revisions.path("start").asLong() + "-" + String.join(",", ids);
    }

    /** The leaf's body without its rev bookkeeping, attachments as stubs without their digests (compared apart), keys sorted. */
    private static String body(ObjectNode doc) {
        ObjectNode copy = doc.deepCopy();
        copy.remove(List.of("_rev", "_revisions"));
        JsonNode attachments = copy.remove("_attachments");
        if (attachments != null) {
            ObjectNode stubs = copy.putObject("_attachments");
            attachments.properties().forEach(e -> stubs.put(e.getKey(), e.getValue().path("content_type").asText()
                    + " length=" + e.getValue().path("length").asLong() + " revpos=" + e.getValue().path("revpos").asLong()));
        }
        return Json.text(canonical(copy));
    }

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

    private static Set<String> sorted(JsonNode array) {
        Set<String> out = new TreeSet<>();
        array.forEach(v -> out.add(v.asText()));
        return out;
    }

    private static String sha256(byte[] bytes) {
        try {
            return bytes.length + " bytes sha256=" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    Doc doc(String id) {
        Doc doc = docs.get(id);
        if (doc == null) {
            throw new AssertionError("no document " + id + " among " + docs.keySet());
        }
        return doc;
    }

    /**
     * Both sides hold the same documents, trees, bodies, winners and attachment bytes, naming the first document
     * that differs; then the same attachment digests, listing every one that differs (last, so that a digest
     * difference does not hide any other). A compressible attachment has CouchDB's digest (of its gzip stream,
     * {@link CouchDbDigests}) on both sides whichever side it was written on: no difference is let pass.
     */
    static void assertSame(ReplicaState couch, ReplicaState arbor, String what) {
        assertEquals(couch.docs.keySet(), arbor.docs.keySet(), what + ": _changes lists the same ids");
        List<String> digests = new ArrayList<>();
        for (String id : couch.docs.keySet()) {
            Doc c = couch.docs.get(id);
            Doc a = arbor.docs.get(id);
            assertEquals(c.leaves(), a.leaves(), what + ": rev paths and leaf bodies of " + id);
            assertEquals(c.winner(), a.winner(), what + ": winner, _conflicts and _deleted_conflicts of " + id);
            assertEquals(c.bytes(), a.bytes(), what + ": attachment bytes of " + id);
            c.digests().forEach((att, onCouch) -> {
                Digest onArbor = a.digests().get(att);
                if (onCouch.digest().equals(onArbor.digest())) {
                    return;
                }
                digests.add(id + "/" + att + " (" + onCouch.contentType() + "): couchdb " + onCouch.digest()
                        + ", arbor " + onArbor.digest() + " (of its bytes " + onCouch.ofBytes() + ", of CouchDB's gzip stream "
                        + onCouch.ofGzip() + ")");
            });
        }
        assertEquals(List.of(), digests, what + ": attachment digests");
    }
}
