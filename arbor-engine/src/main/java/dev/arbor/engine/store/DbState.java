package dev.arbor.engine.store;

/**
 * The counters of one database, stored under {@code META/state} in every commit that changes them so
 * they are always exactly those of the committed data. Immutable: the writer replaces it, readers
 * read whichever instance was last published. Public for the engine's indexes, which ask the last published
 * instance what a query must see instead of reading it from the store.
 */
public record DbState(long updateSeq, long docCount, long docDelCount, long purgeSeq, long externalSize, int revsLimit) {
    static final int DEFAULT_REVS_LIMIT = 1000;
    public static final DbState EMPTY = new DbState(0, 0, 0, 0, 0, DEFAULT_REVS_LIMIT);

    public DbState withUpdateSeq(long v) { return new DbState(v, docCount, docDelCount, purgeSeq, externalSize, revsLimit); }
    public DbState withCounts(long live, long deleted, long external) { return new DbState(updateSeq, live, deleted, purgeSeq, external, revsLimit); }
    public DbState withPurgeSeq(long v) { return new DbState(updateSeq, docCount, docDelCount, v, externalSize, revsLimit); }
    public DbState withRevsLimit(int v) { return new DbState(updateSeq, docCount, docDelCount, purgeSeq, externalSize, v); }

    public byte[] encode() {
        return new ByteWriter(32).writeVarLong(updateSeq).writeVarLong(docCount).writeVarLong(docDelCount)
                .writeVarLong(purgeSeq).writeVarLong(externalSize).writeVarLong(revsLimit).toByteArray();
    }

    public static DbState decode(byte[] bytes) {
        if (bytes == null) {
            return EMPTY;
        }
        ByteReader in = new ByteReader(bytes);
        return new DbState(in.readVarLong(), in.readVarLong(), in.readVarLong(), in.readVarLong(), in.readVarLong(),
                (int) in.readVarLong());
    }
}
