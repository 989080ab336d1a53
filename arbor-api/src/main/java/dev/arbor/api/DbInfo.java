package dev.arbor.api;

/**
 * {@code GET /db}. Sizes in bytes: {@code file} on disk, {@code active} live data, {@code external}
 * the uncompressed size of the documents' JSON. {@code partitioned}: created partitioned (CouchDB's
 * {@code props.partitioned}); its document ids are then {@code partition:docid}.
 */
public record DbInfo(String dbName, long docCount, long docDelCount, long updateSeq, long purgeSeq,
                     long sizeFile, long sizeActive, long sizeExternal, boolean compactRunning,
                     boolean partitioned) {}
