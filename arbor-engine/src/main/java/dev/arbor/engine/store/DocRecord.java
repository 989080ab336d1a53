package dev.arbor.engine.store;

import dev.arbor.core.rev.Leaf;
import dev.arbor.core.rev.RevTree;

/**
 * The stored state of one document (the value under its id in {@code DOCS}): its revision tree, the
 * sequence of its latest change, and the winning revision's record, so that reading a document's
 * current revision is one lookup. Bodies of the other revisions live in {@code REVS}.
 */
public record DocRecord(long seq, RevTree tree, RevRecord winnerRecord) {
    private static final int FORMAT = 1;

    public Leaf winner() {
        return tree.winner();
    }

    public boolean deleted() {
        return tree.winner().status().deleted();
    }

    public byte[] encode() {
        byte[] treeBytes = tree.encode();
        ByteWriter out = new ByteWriter(treeBytes.length + winnerRecord.body().length + 24);
        out.writeByte(FORMAT).writeVarLong(seq).writeBlock(treeBytes);
        winnerRecord.writeTo(out);
        return out.toByteArray();
    }

    /** A reader of an encoded record, past its format byte (checked). */
    private static ByteReader open(byte[] bytes) {
        ByteReader in = new ByteReader(bytes);
        int format = in.readByte();
        if (format != FORMAT) {
            throw new IllegalStateException("unknown document record format " + format);
        }
        return in;
    }

    /** {@link #seq()} of an encoded record, without decoding the rest. */
    static long seqOf(byte[] bytes) {
        return open(bytes).readVarLong();
    }

    /** {@link #deleted()} of an encoded record, read from the winner record's flag without decoding the tree. */
    public static boolean winnerDeleted(byte[] bytes) {
        ByteReader in = open(bytes);
        in.readVarLong();
        in.skipBlock();
        return RevRecord.deletedFlag(in.readByte());
    }

    /** {@link #winnerDeleted} as the DOCS space's value summary: 1 when the winner is deleted, else 0. */
    static int winnerDeletedSummary(byte[] bytes) {
        return winnerDeleted(bytes) ? 1 : 0;
    }

    public static DocRecord decode(byte[] bytes) {
        ByteReader in = open(bytes);
        long seq = in.readVarLong();
        RevTree tree = RevTree.decode(in.readBlock());
        return new DocRecord(seq, tree, RevRecord.readFrom(in));
    }
}
