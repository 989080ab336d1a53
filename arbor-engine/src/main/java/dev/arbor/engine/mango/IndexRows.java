package dev.arbor.engine.mango;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.arbor.core.collate.KeyEncoding;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Key layouts of one Mango index's data:
 * <ul>
 *   <li>{@link MangoSpaces#ROWS}: signature + {@code KeyEncoding.encodeComposite(key, docId)} → {@link RowValue}: the
 *       sequence of the document version the row was built from, and the doc id. The encoding orders rows by
 *       CouchDB collation of the key, then by id, so one index's rows are one contiguous range and every
 *       equality prefix or range within it is one too.</li>
 *   <li>{@link MangoSpaces#DOCS}: signature + doc id → the doc's row key, to drop the old row on update; for an
 *       array-element index, the doc's row keys, each as a 4-byte length and the key
 *       ({@link #backReference}).</li>
 *   <li>{@code META}: {@code "mango/"} + signature → the index's checkpoint
 *       ({@link dev.arbor.engine.index.IndexCheckpoint}), its state the row layout.</li>
 * </ul>
 */
final class IndexRows {
    /**
     * A row's value: the document it indexes and the sequence of the version it was built from, which names
     * that version for {@link dev.arbor.engine.store.DocumentCache}. Stored as a marker byte 0xFF (never the first
     * byte of UTF-8), the sequence (8 bytes) and the id; a legacy row is the id alone, its sequence unknown.
     */
    record RowValue(String docId, long seq) {
        private static final byte MARKER = (byte) 0xFF;

        static byte[] encode(long seq, byte[] docId) {
            return ByteBuffer.allocate(9 + docId.length).put(MARKER).putLong(seq).put(docId).array();
        }

        static RowValue decode(byte[] value) {
            if (value.length > 0 && value[0] == MARKER) {
                return new RowValue(new String(value, 9, value.length - 9, StandardCharsets.UTF_8),
                        ByteBuffer.wrap(value, 1, 8).getLong());
            }
            return new RowValue(new String(value, StandardCharsets.UTF_8), dev.arbor.engine.store.StoredDocs.VersionedId.UNKNOWN);
        }
    }

    private IndexRows() {}

    static byte[] rowKey(byte[] signature, ArrayNode key, String docId) {
        return concat(signature, KeyEncoding.encodeComposite(key, docId));
    }

    static byte[] docKey(byte[] signature, String docId) {
        return concat(signature, docId.getBytes(StandardCharsets.UTF_8));
    }

    /** The first key of every range of this index (inclusive). */
    static byte[] start(byte[] signature) {
        return signature.clone();
    }

    /** Just past every key of this index (exclusive). */
    static byte[] end(byte[] signature) {
        byte[] end = signature.clone();
        for (int i = end.length - 1; i >= 0; i--) {
            if (end[i] != (byte) 0xFF) {
                end[i]++;
                return Arrays.copyOf(end, i + 1);
            }
        }
        return null; // all 0xFF: nothing sorts after, the range is open-ended
    }

    /** The {@link MangoSpaces#DOCS} value naming a document's rows. */
    static byte[] backReference(MangoIndex index, List<byte[]> rowKeys) {
        if (index.element() == null) {
            return rowKeys.get(0); // one row; the layout plain indexes have always had
        }
        int size = 0;
        for (byte[] key : rowKeys) {
            size += 4 + key.length;
        }
        ByteBuffer out = ByteBuffer.allocate(size);
        for (byte[] key : rowKeys) {
            out.putInt(key.length).put(key);
        }
        return out.array();
    }

    /** The row keys a {@link MangoSpaces#DOCS} value names. */
    static List<byte[]> rowKeys(MangoIndex index, byte[] backReference) {
        if (index.element() == null) {
            return List.of(backReference);
        }
        List<byte[]> keys = new ArrayList<>();
        ByteBuffer in = ByteBuffer.wrap(backReference);
        while (in.hasRemaining()) {
            byte[] key = new byte[in.getInt()];
            in.get(key);
            keys.add(key);
        }
        return keys;
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
