package dev.arbor.api;

/**
 * {@code GET /db}. Sizes in bytes: {@code file} on disk, {@code active} live data, {@code external}
 * the uncompressed size of the documents' JSON. {@code partitioned}: created partitioned (CouchDB's
 * {@code props.partitioned}); its document ids are then {@code partition:docid}.
 */
public record DbInfo(String dbName, long docCount, long docDelCount, Seq updateSeq, long purgeSeq,
                     long sizeFile, long sizeActive, long sizeExternal, boolean compactRunning,
                     boolean partitioned) {

    /** The info of one of Arbor's own databases, at a local update sequence. */
    public DbInfo(String dbName, long docCount, long docDelCount, long updateSeq, long purgeSeq,
                  long sizeFile, long sizeActive, long sizeExternal, boolean compactRunning, boolean partitioned) {
        this(dbName, docCount, docDelCount, Seq.of(updateSeq), purgeSeq, sizeFile, sizeActive, sizeExternal,
                compactRunning, partitioned);
    }
}
