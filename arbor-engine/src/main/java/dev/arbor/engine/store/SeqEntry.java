package dev.arbor.engine.store;

import dev.arbor.core.rev.Rev;

import java.util.ArrayList;
import java.util.List;

/**
 * The value under a sequence number in {@code SEQ}: enough to answer {@code _changes} (both styles)
 * without reading the document.
 *
 * @param leaves every leaf revision, winner first
 */
public record SeqEntry(String id, boolean deleted, List<Rev> leaves) {

    public byte[] encode() {
        ByteWriter out = new ByteWriter(64);
        out.writeString(id).writeByte(deleted ? 1 : 0).writeVarLong(leaves.size());
        for (Rev rev : leaves) {
            out.writeVarLong(rev.pos()).writeString(rev.hash());
        }
        return out.toByteArray();
    }

    public static SeqEntry decode(byte[] bytes) {
        ByteReader in = new ByteReader(bytes);
        String id = in.readString();
        boolean deleted = in.readByte() != 0;
        int n = (int) in.readVarLong();
        List<Rev> leaves = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            leaves.add(new Rev(in.readVarLong(), in.readString()));
        }
        return new SeqEntry(id, deleted, leaves);
    }
}
