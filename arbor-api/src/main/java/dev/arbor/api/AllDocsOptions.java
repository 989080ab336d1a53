package dev.arbor.api;

import java.util.List;

/**
 * Options of {@code _all_docs}, named as CouchDB's query parameters. Keys are document ids, ordered
 * by raw (Unicode code point) collation as CouchDB's {@code _all_docs} orders them. {@code startkey}
 * and {@code endkey} are swapped in meaning with {@code descending}, as in CouchDB.
 *
 * @param keys      exact ids to look up, in this order (rows for missing ids carry {@code error: not_found})
 * @param limit     at most this many rows; negative means no limit
 */
public record AllDocsOptions(String startkey, String endkey, String key, List<String> keys, boolean inclusiveEnd,
                             boolean descending, long skip, long limit, boolean includeDocs, boolean conflicts,
                             boolean updateSeq) {

    public static final AllDocsOptions DEFAULT = new AllDocsOptions(null, null, null, null, true, false, 0, -1, false, false, false);

    public AllDocsOptions {
        keys = keys == null ? null : List.copyOf(keys);
    }

    public AllDocsOptions startkey(String v) { return new AllDocsOptions(v, endkey, key, keys, inclusiveEnd, descending, skip, limit, includeDocs, conflicts, updateSeq); }
    public AllDocsOptions endkey(String v) { return new AllDocsOptions(startkey, v, key, keys, inclusiveEnd, descending, skip, limit, includeDocs, conflicts, updateSeq); }
    public AllDocsOptions key(String v) { return new AllDocsOptions(startkey, endkey, v, keys, inclusiveEnd, descending, skip, limit, includeDocs, conflicts, updateSeq); }
    public AllDocsOptions keys(List<String> v) { return new AllDocsOptions(startkey, endkey, key, v, inclusiveEnd, descending, skip, limit, includeDocs, conflicts, updateSeq); }
    public AllDocsOptions inclusiveEnd(boolean v) { return new AllDocsOptions(startkey, endkey, key, keys, v, descending, skip, limit, includeDocs, conflicts, updateSeq); }
    public AllDocsOptions descending(boolean v) { return new AllDocsOptions(startkey, endkey, key, keys, inclusiveEnd, v, skip, limit, includeDocs, conflicts, updateSeq); }
    public AllDocsOptions skip(long v) { return new AllDocsOptions(startkey, endkey, key, keys, inclusiveEnd, descending, v, limit, includeDocs, conflicts, updateSeq); }
    public AllDocsOptions limit(long v) { return new AllDocsOptions(startkey, endkey, key, keys, inclusiveEnd, descending, skip, v, includeDocs, conflicts, updateSeq); }
    public AllDocsOptions includeDocs(boolean v) { return new AllDocsOptions(startkey, endkey, key, keys, inclusiveEnd, descending, skip, limit, v, conflicts, updateSeq); }
    public AllDocsOptions conflicts(boolean v) { return new AllDocsOptions(startkey, endkey, key, keys, inclusiveEnd, descending, skip, limit, includeDocs, v, updateSeq); }
    public AllDocsOptions updateSeq(boolean v) { return new AllDocsOptions(startkey, endkey, key, keys, inclusiveEnd, descending, skip, limit, includeDocs, conflicts, v); }
}
