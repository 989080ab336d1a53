package dev.arbor.engine.mango;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.arbor.core.collate.KeyEncoding;
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
 *   <li>{@code MANGO_ROWS}: signature + {@code KeyEncoding.encodeComposite(key, docId)} → doc id (UTF-8). The
 *       encoding orders rows by CouchDB collation of the key, then by id, so one index's rows are one
 *       contiguous range and every equality prefix or range within it is one too.</li>
 *   <li>{@code MANGO_DOCS}: signature + doc id → the doc's row key, to drop the old row on update; for an
 *       array-element index, the doc's row keys, each as a 4-byte length and the key
 *       ({@link #backReference}).</li>
 *   <li>{@code META}: {@code "mango/"} + signature → checkpoint: the update seq the rows reflect and the purge
 *       seq they were built under. Written in the same batch as the rows it covers.</li>
 * </ul>
 */
final class IndexRows {
    private static final byte[] CHECKPOINT_PREFIX = "mango/".getBytes(StandardCharsets.UTF_8);

    /** What the rows of an index reflect. */
    record Checkpoint(long seq, long purgeSeq) {
        byte[] encode() {
            return ByteBuffer.allocate(16).putLong(seq).putLong(purgeSeq).array();
        }

        static Checkpoint decode(byte[] bytes) {
            ByteBuffer in = ByteBuffer.wrap(bytes);
            return new Checkpoint(in.getLong(), in.getLong());
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
        byte[] bytes = reader.get(Space.META, checkpointKey(signature));
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

    /** The {@code MANGO_DOCS} value naming a document's rows. */
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

    /** The row keys a {@code MANGO_DOCS} value names. */
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
        for (Space space : new Space[]{Space.MANGO_ROWS, Space.MANGO_DOCS}) {
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
        try (KvCursor cursor = reader.scan(Space.META, CHECKPOINT_PREFIX, checkpointsEnd, false)) {
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
        for (Space space : new Space[]{Space.MANGO_ROWS, Space.MANGO_DOCS}) {
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
