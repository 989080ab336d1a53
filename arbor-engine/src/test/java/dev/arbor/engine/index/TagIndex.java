package dev.arbor.engine.index;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.engine.kv.KvCursor;
import dev.arbor.engine.kv.KvReader;
import dev.arbor.engine.kv.KvSnapshot;
import dev.arbor.engine.kv.Space;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small kind of index written only against the framework's public types, as a search or vector index will be:
 * the string tags of one array field, a row per (tag, document). It registers its own spaces and keeps a total row
 * count in its checkpoint, so it exercises every part a kind supplies: rows, a back-index to replace them, a state
 * kept per batch, an integrity check, and a definition whose change is a new signature.
 *
 * <p>Rows: signature + tag + 0x00 + doc id → nothing. Back-index: signature + doc id → the doc's tags, each
 * followed by 0x00.
 *
 * @param field   the member holding the tags
 * @param version part of the signature: a new version is a changed definition
 */
record TagIndex(String field, int version) implements Index {
    static final Space ROWS = Space.register("test_tag_rows", false);
    static final Space DOCS = Space.register("test_tag_docs", true);
    static final IndexKind KIND = new IndexKind("test-tags", List.of(ROWS, DOCS));
    /** How many times any tag index decoded a document: once per changed document and pass, whatever the indexes. */
    static final AtomicInteger DECODES = new AtomicInteger();
    /** The key of the decoded form every tag index of a pass shares. */
    private static final Object DECODED = new Object();

    @Override
    public IndexKind kind() {
        return KIND;
    }

    @Override
    public byte[] signature() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(("tags\u0000" + field + "\u0000" + version).getBytes(StandardCharsets.UTF_8));
            return Arrays.copyOf(digest, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String displayName() {
        return "tags of " + field + " v" + version;
    }

    /** The state: the number of rows, 8 bytes. */
    @Override
    public byte[] emptyState() {
        return ByteBuffer.allocate(8).putLong(0).array();
    }

    @Override
    public boolean fits(byte[] state) {
        return state.length == 8;
    }

    @Override
    public int batchDocuments() {
        return 1_000; // small, so a test's few thousand documents take several batches
    }

    @Override
    public IndexPass pass(IndexCheckpoint from, Staging staging) {
        return new TagPass(ByteBuffer.wrap(from.state()).getLong());
    }

    @Override
    public String problem(KvSnapshot snapshot, IndexCheckpoint checkpoint) {
        long rows = rows(snapshot).size();
        long counted = ByteBuffer.wrap(checkpoint.state()).getLong();
        return rows == counted ? null : rows + " rows, the checkpoint counts " + counted;
    }

    /** Every row as "tag docId", in key order. */
    List<String> rows(KvReader reader) {
        byte[] signature = signature();
        List<String> rows = new ArrayList<>();
        try (KvCursor cursor = reader.scan(ROWS, signature, IndexUpdater.end(signature), false)) {
            while (cursor.next()) {
                String row = new String(cursor.key(), 16, cursor.key().length - 16, StandardCharsets.UTF_8);
                rows.add(row.replace('\u0000', ' '));
            }
        }
        return rows;
    }

    /** The rows the index must hold for {@code docs} (live documents by id), computed from scratch. */
    List<String> expectedRows(List<ObjectNode> docs) {
        TreeSet<String> rows = new TreeSet<>();
        for (ObjectNode doc : docs) {
            if (!doc.path("_id").asText().startsWith("_design/")) {
                tags(doc).forEach(tag -> rows.add(tag + " " + doc.path("_id").asText()));
            }
        }
        return List.copyOf(rows);
    }

    private Set<String> tags(JsonNode doc) {
        Set<String> tags = new LinkedHashSet<>();
        doc.path(field).forEach(tag -> {
            if (tag.isTextual() && !tag.asText().isEmpty() && tag.asText().indexOf('\u0000') < 0) {
                tags.add(tag.asText());
            }
        });
        return tags;
    }

    private byte[] rowKey(String tag, String id) {
        return concat(signature(), (tag + "\u0000" + id).getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** One update: replaces each document's rows through its back-index entry and counts the rows. */
    private final class TagPass implements IndexPass {
        private long rows;

        TagPass(long rows) {
            this.rows = rows;
        }

        @Override
        public void stage(List<ChangedDocument> documents, IndexTarget target) {
            for (ChangedDocument document : documents) {
                byte[] docKey = concat(signature(), document.id().getBytes(StandardCharsets.UTF_8));
                List<String> old = decodeTags(target.get(DOCS, docKey));
                ObjectNode doc = document.deleted() || document.id().startsWith("_design/") ? null
                        : document.decoded(DECODED, changed -> {
                            DECODES.incrementAndGet();
                            return changed.document(false);
                        });
                Set<String> now = doc == null ? Set.of() : tags(doc);
                for (String tag : old) {
                    if (!now.contains(tag)) {
                        target.delete(ROWS, rowKey(tag, document.id()));
                        rows--;
                    }
                }
                for (String tag : now) {
                    if (!old.contains(tag)) {
                        target.put(ROWS, rowKey(tag, document.id()), new byte[0]);
                        rows++;
                    }
                }
                if (now.isEmpty()) {
                    target.delete(DOCS, docKey);
                } else {
                    target.put(DOCS, docKey, encodeTags(now));
                }
            }
        }

        @Override
        public byte[] finish(IndexTarget target) {
            return ByteBuffer.allocate(8).putLong(rows).array();
        }
    }

    private static byte[] encodeTags(Set<String> tags) {
        StringBuilder out = new StringBuilder();
        tags.forEach(tag -> out.append(tag).append('\u0000'));
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> decodeTags(byte[] stored) {
        if (stored == null) {
            return List.of();
        }
        String text = new String(stored, StandardCharsets.UTF_8);
        return text.isEmpty() ? List.of() : List.of(text.substring(0, text.length() - 1).split("\u0000", -1));
    }
}
