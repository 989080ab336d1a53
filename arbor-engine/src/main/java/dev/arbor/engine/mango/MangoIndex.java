package dev.arbor.engine.mango;

import dev.arbor.core.doc.Partitions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.arbor.api.find.IndexInfo;
import dev.arbor.core.collate.KeyEncoding;
import dev.arbor.core.json.Json;
import dev.arbor.core.mango.FieldPath;
import dev.arbor.core.mango.Selector;
import dev.arbor.engine.index.Index;
import dev.arbor.engine.index.IndexCheckpoint;
import dev.arbor.engine.index.IndexKind;
import dev.arbor.engine.index.IndexPass;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One {@code json} index as a design document defines it, ready to compute its rows.
 *
 * @param partialFilter the parsed {@code partial_filter_selector}; null when every document is indexed
 * @param signature     identifies the index's rows in storage: a digest of everything that decides them (design
 *                      doc, name, fields, partial filter, and the ICU version behind string keys), so a changed
 *                      definition or collator starts from empty rows instead of reusing wrong ones
 * @param element       the array-element field, whose rows are one per element; null for a plain json index
 */
record MangoIndex(String ddoc, String name, List<String> fields, List<FieldPath> paths, JsonNode partialFilterJson,
                  Selector partialFilter, boolean partitioned, ElementField element, byte[] signature)
        implements Index {
    /** How {@code GET /_index} and {@code _explain} name an index with an {@link ElementField}. */
    static final String ARRAY_TYPE = "array";

    static final int SIGNATURE_BYTES = 16;

    /**
     * The layout of the rows, kept as the checkpoint's state: 2 for rows that record their document's sequence
     * ({@link IndexRows.RowValue}); rows of a checkpoint without it hold only the doc id and are rebuilt.
     */
    private static final byte ROW_LAYOUT = 2;

    /**
     * @param partitioned a partitioned index keys every row by its document's partition first ({@code [p, f1, ...]}),
     *                    so one partition's rows, and every equality prefix or range within them, are one range
     */
    static MangoIndex of(String ddoc, String name, List<String> fields, JsonNode partialFilterJson, boolean partitioned) {
        ElementField element = ElementField.find(fields);
        List<FieldPath> paths = fields.stream().map(FieldPath::parse).toList();
        Selector partial = partialFilterJson == null ? null : Selector.parse(partialFilterJson);
        String identity = String.join("\u0000", ddoc, name, Json.text(Json.MAPPER.valueToTree(fields)),
                partialFilterJson == null ? "" : Json.text(partialFilterJson), KeyEncoding.ICU_COLLATOR_VERSION)
                // Global indexes keep the identity they had before partitions existed, so their rows stay valid.
                + (partitioned ? "\u0000partitioned" : "");
        byte[] digest = sha256(identity.getBytes(StandardCharsets.UTF_8));
        return new MangoIndex(ddoc, name, List.copyOf(fields), paths, partialFilterJson, partial, partitioned, element,
                Arrays.copyOf(digest, SIGNATURE_BYTES));
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    IndexInfo info() {
        return new IndexInfo(ddoc, name, element == null ? "json" : ARRAY_TYPE, fields, partialFilterJson, partitioned);
    }

    @Override
    public IndexKind kind() {
        return MangoSpaces.KIND;
    }

    @Override
    public String displayName() {
        return "mango index " + ddoc + "/" + name;
    }

    @Override
    public byte[] emptyState() {
        return new byte[] {ROW_LAYOUT};
    }

    @Override
    public boolean fits(byte[] state) {
        return state.length == 1 && state[0] == ROW_LAYOUT;
    }

    @Override
    public IndexPass pass(IndexCheckpoint from, Staging staging) {
        return new MangoPass(this);
    }

    /**
     * The index keys of {@code doc}: the indexed fields' values in order; none when the document has no row
     * (a field is missing, or it fails the partial filter), as CouchDB's Mango map function emits nothing then.
     * A plain json index gives at most one key; an array-element index one per distinct element value.
     * Design documents are never indexed, as CouchDB's views skip them.
     */
    List<ArrayNode> keys(String id, JsonNode doc) {
        if (id.startsWith("_design/")) {
            return List.of();
        }
        ArrayNode key = Json.MAPPER.createArrayNode();
        if (partitioned) {
            String partition = Partitions.partitionOf(id);
            if (partition == null) {
                return List.of();
            }
            key.add(partition);
        }
        List<JsonNode> elements = List.of();
        for (int i = 0; i < paths.size(); i++) {
            if (element != null && i == element.position()) {
                elements = element.values(doc);
                if (elements.isEmpty()) {
                    return List.of();
                }
                key.addNull(); // replaced by each element below
                continue;
            }
            if (!(paths.get(i).lookup(doc) instanceof FieldPath.Lookup.Found found)) {
                return List.of();
            }
            key.add(found.value());
        }
        if (partialFilter != null && !partialFilter.matches(doc)) {
            return List.of();
        }
        if (element == null) {
            return List.of(key);
        }
        int slot = element.position() + (partitioned ? 1 : 0);
        List<ArrayNode> keys = new ArrayList<>(elements.size());
        for (JsonNode value : elements) {
            ArrayNode copy = key.deepCopy();
            copy.set(slot, value);
            keys.add(copy);
        }
        return keys;
    }

    /** Whether this is the index {@code use_index} names ({@code ["ddoc"]} names every index of the design doc). */
    boolean isNamedBy(List<String> useIndex) {
        if (useIndex.isEmpty()) {
            return false;
        }
        String wanted = DesignIndexes.ddocId(useIndex.get(0));
        return ddoc.equals(wanted) && (useIndex.size() == 1 || name.equals(useIndex.get(1)));
    }
}
