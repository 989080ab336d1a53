package dev.arbor.engine.mango;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.core.mango.Selector;
import dev.arbor.engine.index.ChangedDocument;
import dev.arbor.engine.index.IndexPass;
import dev.arbor.engine.index.IndexTarget;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One update of a Mango index ({@link IndexPass}): a document's rows are its index keys ({@link MangoIndex#keys}),
 * computed from only the members they depend on where it can ({@link TopLevelFields}), and its old rows are found
 * through its back-reference, read for a run of documents in one batched read. Nothing is kept per batch: the
 * checkpoint's state is the row layout.
 */
final class MangoPass implements IndexPass {
    private final MangoIndex index;
    private final TopLevelFields readFields;

    MangoPass(MangoIndex index) {
        this.index = index;
        this.readFields = readFields(index);
    }

    @Override
    public void stage(List<ChangedDocument> documents, IndexTarget target) {
        byte[] signature = index.signature();
        List<byte[]> docKeys = new ArrayList<>(documents.size());
        for (ChangedDocument document : documents) {
            docKeys.add(IndexRows.docKey(signature, document.id()));
        }
        // Back-references are the index's own state, which only this pass (under the index's lock) writes.
        List<byte[]> oldReferences = target.getAll(MangoSpaces.DOCS, docKeys);
        for (int i = 0; i < documents.size(); i++) {
            ChangedDocument document = documents.get(i);
            List<ArrayNode> keys = document.deleted() ? List.of() : keys(document);
            stageRows(index, document, docKeys.get(i), oldReferences.get(i), keys, target);
        }
    }

    @Override
    public byte[] finish(IndexTarget target) {
        return index.emptyState();
    }

    /** The members of a document the index's keys depend on; null when they need the whole document. */
    private static TopLevelFields readFields(MangoIndex index) {
        List<Selector> selectors = index.partialFilter() == null ? List.of() : List.of(index.partialFilter());
        return TopLevelFields.of(selectors, index.paths());
    }

    private List<ArrayNode> keys(ChangedDocument document) {
        // The winning record's deleted flag is the tree's winner's: a deleted document has no rows.
        byte[] body = readFields == null ? null : document.liveBody();
        if (body != null) {
            return index.keys(document.id(), readFields.read(document.id(), body));
        }
        ObjectNode doc = document.document(false);
        return doc == null ? List.of() : index.keys(document.id(), doc);
    }

    /**
     * Stages the puts and deletes that turn a document's rows from {@code oldReference}'s into {@code keys}' rows.
     * A row whose key did not change is written again all the same: its value names the document's new version.
     */
    private static void stageRows(MangoIndex index, ChangedDocument change, byte[] docKey, byte[] oldReference,
                                  List<ArrayNode> keys, IndexTarget batch) {
        byte[] signature = index.signature();
        String docId = change.id();
        Set<ByteBuffer> oldRows = new HashSet<>();
        if (oldReference != null) {
            IndexRows.rowKeys(index, oldReference).forEach(row -> oldRows.add(ByteBuffer.wrap(row)));
        }
        List<byte[]> newRows = new ArrayList<>(keys.size());
        byte[] value = keys.isEmpty() ? null : IndexRows.RowValue.encode(change.seq(), docId.getBytes(StandardCharsets.UTF_8));
        for (ArrayNode key : keys) {
            byte[] row = IndexRows.rowKey(signature, key, docId);
            newRows.add(row);
            if (!oldRows.isEmpty()) {
                oldRows.remove(ByteBuffer.wrap(row));
            }
            batch.put(MangoSpaces.ROWS, row, value);
        }
        for (ByteBuffer stale : oldRows) {
            batch.delete(MangoSpaces.ROWS, stale.array());
        }
        if (!newRows.isEmpty()) {
            byte[] reference = IndexRows.backReference(index, newRows);
            if (oldReference == null || !Arrays.equals(oldReference, reference)) {
                batch.put(MangoSpaces.DOCS, docKey, reference);
            }
        } else if (oldReference != null) {
            batch.delete(MangoSpaces.DOCS, docKey);
        }
    }
}
