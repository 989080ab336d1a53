package dev.arbor.engine.index;

import dev.arbor.engine.kv.KvReader;
import dev.arbor.engine.store.DocSpaces;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * What an index's rows reflect: every change of the by-sequence log up to {@link #seq}, with the purges up to
 * {@link #purgeSeq}, and what its kind keeps beside them ({@link #state}: a view's row counts, the version of a
 * Mango index's row layout). Written in the same batch as the rows it covers, so the rows are always exactly those
 * of the stored checkpoint. Stored as the two sequences (8 bytes each), then the state.
 */
public record IndexCheckpoint(long seq, long purgeSeq, byte[] state) {
    public IndexCheckpoint {
        state = state.clone();
    }

    @Override
    public byte[] state() {
        return state.clone();
    }

    /** Whether the rows answer a reader that must see {@code seq}, with the database's purges up to {@code purgeSeq}. */
    public boolean covers(long seq, long purgeSeq) {
        return this.purgeSeq == purgeSeq && this.seq >= seq;
    }

    public byte[] encode() {
        return ByteBuffer.allocate(16 + state.length).putLong(seq).putLong(purgeSeq).put(state).array();
    }

    public static IndexCheckpoint decode(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        return new IndexCheckpoint(in.getLong(), in.getLong(), Arrays.copyOfRange(bytes, 16, bytes.length));
    }

    /** The stored checkpoint of {@code index}, or null when none is (the index has no committed rows). */
    public static IndexCheckpoint read(KvReader reader, Index index) {
        return read(reader, index.kind(), index.signature());
    }

    public static IndexCheckpoint read(KvReader reader, IndexKind kind, byte[] signature) {
        byte[] bytes = reader.get(DocSpaces.META, kind.checkpointKey(signature));
        return bytes == null ? null : decode(bytes);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof IndexCheckpoint that && seq == that.seq && purgeSeq == that.purgeSeq
                && Arrays.equals(state, that.state);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(seq) * 31 + Arrays.hashCode(state);
    }

    @Override
    public String toString() {
        return "IndexCheckpoint[seq=" + seq + ", purgeSeq=" + purgeSeq + ", state=" + state.length + " bytes]";
    }
}
