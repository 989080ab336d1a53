package dev.arbor.engine.view;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arbor.engine.store.DocSpaces;
import dev.arbor.engine.index.IndexCheckpoint;
import dev.arbor.engine.kv.KvReader;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Key layouts of one design document's view index (see {@link ViewSpaces#ROWS}, {@link ViewSpaces#DOCS},
 * {@link ViewSpaces#REDUCE}). Every key starts with the design doc's signature; row and reduction keys then carry
 * the view's ordinal (two bytes), so each view is one contiguous range.
 *
 * <p>A row key is {@code prefix + KeyEncoding.encode(key) + docId + 0x00 + rank}: the encoding is prefix-free,
 * so rows sort by key collation, then by doc id bytes (0x00 sorts below every byte of a UTF-8 id, so an id sorts
 * before its extensions), then by rank, the row's position among the document's own rows for that view (one
 * document may emit the same key many times; CouchDB keeps every row).
 */
final class ViewKeys {
    static final int ORDINAL_BYTES = 2;
    /** The 0x00 separator and the 4-byte rank that close every row key. */
    static final int ROW_SUFFIX_BYTES = 5;

    /**
     * The layout of an index's keys, part of every index signature: an index written by an older layout (layout-2:
     * before {@link GroupReductions}; layout-3: before {@link #partitionCountKey partition row counts}) gets a new signature and is rebuilt instead of read wrongly.
     */
    static final String LAYOUT = "layout-3";

    /**
     * Set in the ordinal bytes of a partition's row count ({@link #partitionCountKey}): keeps the counts out of every
     * per-key reduction scan of a view (ordinals stay far below it), as {@link GroupReductions}' high bit does.
     */
    private static final int PARTITION_COUNT_BIT = 0x4000;

    private ViewKeys() {}

    static byte[] viewPrefix(byte[] signature, int ordinal) {
        byte[] out = Arrays.copyOf(signature, signature.length + ORDINAL_BYTES);
        out[signature.length] = (byte) (ordinal >>> 8);
        out[signature.length + 1] = (byte) ordinal;
        return out;
    }

    /**
     * What a partitioned index puts between the view prefix and the key: the partition name's UTF-8 bytes after
     * their length (two bytes), so one partition's rows are one range and no name is a prefix of another's range.
     */
    static byte[] partitionKey(String partition) {
        byte[] name = partition.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[2 + name.length];
        out[0] = (byte) (name.length >>> 8);
        out[1] = (byte) name.length;
        System.arraycopy(name, 0, out, 2, name.length);
        return out;
    }

    /**
     * Where a partitioned index keeps one partition's row count in a view, in {@link ViewSpaces#REDUCE}:
     * {@code signature + (0x4000 | ordinal) + partitionKey} → 8 bytes. Written in the batch of the rows it counts,
     * so a partition query's {@code total_rows} is one read; cleared with the index (it starts with the signature).
     */
    static byte[] partitionCountKey(byte[] signature, int ordinal, byte[] partitionKey) {
        return concat(partitionCountsPrefix(signature, ordinal), partitionKey);
    }

    /** The prefix of every partition count of a view ({@link #partitionCountKey}). */
    static byte[] partitionCountsPrefix(byte[] signature, int ordinal) {
        return viewPrefix(signature, PARTITION_COUNT_BIT | ordinal);
    }

    /** A partition's row count in a view of a partitioned index; 0 when it has no rows. */
    static long partitionRows(KvReader reader, byte[] signature, int ordinal, String partition) {
        byte[] bytes = reader.get(ViewSpaces.REDUCE, partitionCountKey(signature, ordinal, partitionKey(partition)));
        return bytes == null ? 0 : decodeCount(bytes);
    }

    static byte[] encodeCount(long count) {
        return ByteBuffer.allocate(Long.BYTES).putLong(count).array();
    }

    static long decodeCount(byte[] bytes) {
        return ByteBuffer.wrap(bytes).getLong();
    }

    static byte[] rowKey(byte[] viewPrefix, byte[] encodedKey, String docId, int rank) {
        byte[] id = docId.getBytes(StandardCharsets.UTF_8);
        ByteBuffer out = ByteBuffer.allocate(viewPrefix.length + encodedKey.length + id.length + ROW_SUFFIX_BYTES);
        out.put(viewPrefix).put(encodedKey).put(id).put((byte) 0).putInt(rank);
        return out.array();
    }

    /** Lower bound of the rows of {@code docId} under the encoded key: every rank of it, nothing of a smaller id. */
    static byte[] rowsOfDocFrom(byte[] viewPrefix, byte[] encodedKey, String docId) {
        return concat(viewPrefix, encodedKey, docId.getBytes(StandardCharsets.UTF_8));
    }

    /** Exclusive upper bound just past every rank of {@code docId} under the encoded key. */
    static byte[] rowsOfDocTo(byte[] viewPrefix, byte[] encodedKey, String docId) {
        return concat(viewPrefix, encodedKey, docId.getBytes(StandardCharsets.UTF_8),
                new byte[]{0, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF});
    }

    static byte[] docKey(byte[] signature, String docId) {
        return concat(signature, docId.getBytes(StandardCharsets.UTF_8));
    }

    static byte[] reduceKey(byte[] viewPrefix, byte[] encodedKey) {
        return concat(viewPrefix, encodedKey);
    }

    /** Just past every key that starts with {@code prefix} (exclusive); null when nothing sorts after. */
    static byte[] end(byte[] prefix) {
        byte[] end = prefix.clone();
        for (int i = end.length - 1; i >= 0; i--) {
            if (end[i] != (byte) 0xFF) {
                end[i]++;
                return Arrays.copyOf(end, i + 1);
            }
        }
        return null;
    }

    static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] part : parts) {
            length += part.length;
        }
        byte[] out = new byte[length];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, out, at, part.length);
            at += part.length;
        }
        return out;
    }

    /**
     * A view index's checkpoint ({@link IndexCheckpoint}) read with its state: the number of rows of each view, which
     * is {@code total_rows} and which the integrity check compares with the rows.
     */
    record Checkpoint(long seq, long purgeSeq, long[] rowCounts) {
        static Checkpoint of(IndexCheckpoint stored) {
            return new Checkpoint(stored.seq(), stored.purgeSeq(), counts(stored.state()));
        }

        /** The stored checkpoint of a view index, or null when it has none (or one of another layout). */
        static Checkpoint read(KvReader reader, byte[] signature) {
            IndexCheckpoint stored = IndexCheckpoint.read(reader, ViewSpaces.KIND, signature);
            return stored == null || !countsFit(stored.state(), -1) ? null : of(stored);
        }
    }

    /** A checkpoint's state: the number of views, then each one's row count. */
    static byte[] countsState(long[] counts) {
        ByteBuffer out = ByteBuffer.allocate(4 + 8 * counts.length).putInt(counts.length);
        for (long count : counts) {
            out.putLong(count);
        }
        return out.array();
    }

    static long[] counts(byte[] state) {
        ByteBuffer in = ByteBuffer.wrap(state);
        long[] counts = new long[in.getInt()];
        for (int i = 0; i < counts.length; i++) {
            counts[i] = in.getLong();
        }
        return counts;
    }

    /** Whether {@code state} is a well-formed {@link #countsState} of {@code views} views (of any number when -1). */
    static boolean countsFit(byte[] state, int views) {
        if (state.length < 4) {
            return false;
        }
        int count = ByteBuffer.wrap(state).getInt();
        return state.length == 4 + 8L * count && (views < 0 || count == views);
    }

    /**
     * A document's entry in the back-index: each of its rows' keys, with the length of the encoded view key inside
     * it, so a stale row can be deleted and its key's cached reduction refreshed without decoding anything.
     */
    record DocRow(byte[] rowKey, int ordinal, int encodedKeyLength) {
        /** The encoded view key inside the row key, which starts with {@code keyPrefixLength} bytes of prefix. */
        byte[] encodedKey(int keyPrefixLength) {
            return Arrays.copyOfRange(rowKey, keyPrefixLength, keyPrefixLength + encodedKeyLength);
        }

        static byte[] encodeAll(List<DocRow> rows) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                out.writeInt(rows.size());
                for (DocRow row : rows) {
                    out.writeShort(row.ordinal);
                    out.writeInt(row.encodedKeyLength);
                    out.writeInt(row.rowKey.length);
                    out.write(row.rowKey);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return bytes.toByteArray();
        }

        static List<DocRow> decodeAll(byte[] bytes) {
            if (bytes == null) {
                return List.of();
            }
            try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(bytes))) {
                int n = in.readInt();
                List<DocRow> rows = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    int ordinal = in.readUnsignedShort();
                    int keyLength = in.readInt();
                    byte[] key = new byte[in.readInt()];
                    in.readFully(key);
                    rows.add(new DocRow(key, ordinal, keyLength));
                }
                return rows;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** A stored row's value: {@code [key, value, docId]}. */
    record StoredRow(JsonNode key, JsonNode value, String docId) {}
}
