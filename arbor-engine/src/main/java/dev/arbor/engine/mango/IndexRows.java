package dev.arbor.engine.mango;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.arbor.core.collate.KeyEncoding;
import dev.arbor.engine.store.DocSpaces;
import dev.arbor.engine.kv.KvBatch;
import dev.arbor.engine.kv.KvCursor;
import dev.arbor.engine.kv.KvReader;
import dev.arbor.engine.kv.Space;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

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
 *   <li>{@code META}: {@code "mango/"} + signature → checkpoint: the update seq the rows reflect and the purge
 *       seq they were built under. Written in the same batch as the rows it covers.</li>
 * </ul>
 */
final class IndexRows {
    private static final byte[] CHECKPOINT_PREFIX = "mango/".getBytes(StandardCharsets.UTF_8);

    /**
     * What the rows of an index reflect.
     *
     * @param format the layout of the rows: {@link #LEGACY_FORMAT} for rows holding only the doc id (written
     *               before rows recorded their document's sequence; such an index is rebuilt by its next update)
     */
    record Checkpoint(long seq, long purgeSeq, int format) {
        static final int LEGACY_FORMAT = 1;
        static final int FORMAT = 2;

        Checkpoint(long seq, long purgeSeq) {
            this(seq, purgeSeq, FORMAT);
        }

        byte[] encode() {
            return ByteBuffer.allocate(17).putLong(seq).putLong(purgeSeq).put((byte) format).array();
        }

        /** Whether rows of this checkpoint answer a query that must see {@code seq}, after purges up to {@code purgeSeq}. */
        boolean covers(long seq, long purgeSeq) {
            return format == FORMAT && this.purgeSeq == purgeSeq && this.seq >= seq;
        }

        static Checkpoint decode(byte[] bytes) {
            ByteBuffer in = ByteBuffer.wrap(bytes);
            return new Checkpoint(in.getLong(), in.getLong(), in.hasRemaining() ? in.get() : LEGACY_FORMAT);
        }
    }

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

    static byte[] checkpointKey(byte[] signature) {
        return concat(CHECKPOINT_PREFIX, signature);
    }

    static Checkpoint checkpoint(KvReader reader, byte[] signature) {
        byte[] bytes = reader.get(DocSpaces.META, checkpointKey(signature));
        return bytes == null ? null : Checkpoint.decode(bytes);
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

    /**
     * Every index signature with rows, back-references or a checkpoint stored: one seek per index, not one
     * read per row.
     */
    static Set<ByteBuffer> storedSignatures(KvReader reader) {
        Set<ByteBuffer> found = new HashSet<>();
        for (Space space : MangoSpaces.ALL) {
            byte[] from = null;
            while (true) {
                byte[] signature;
                try (KvCursor cursor = reader.scan(space, from, null, false)) {
                    if (!cursor.next()) {
                        break;
                    }
                    signature = Arrays.copyOf(cursor.key(), MangoIndex.SIGNATURE_BYTES);
                }
                found.add(ByteBuffer.wrap(signature));
                from = end(signature);
                if (from == null) {
                    break;
                }
            }
        }
        byte[] checkpointsEnd = end(CHECKPOINT_PREFIX);
        try (KvCursor cursor = reader.scan(DocSpaces.META, CHECKPOINT_PREFIX, checkpointsEnd, false)) {
            while (cursor.next()) {
                found.add(ByteBuffer.wrap(Arrays.copyOfRange(cursor.key(), CHECKPOINT_PREFIX.length, cursor.key().length)));
            }
        }
        return found;
    }

    /**
     * Stages deletes of up to {@code max} of the index's rows and back-references; returns how many were staged
     * (fewer than {@code max} means none are left).
     */
    static int stageClear(KvReader reader, KvBatch batch, byte[] signature, int max) {
        int staged = 0;
        for (Space space : MangoSpaces.ALL) {
            try (KvCursor cursor = reader.scan(space, start(signature), end(signature), false)) {
                while (staged < max && cursor.next()) {
                    batch.delete(space, cursor.key());
                    staged++;
                }
            }
        }
        return staged;
    }
}
