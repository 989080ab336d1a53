package dev.arbor.engine.view;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arbor.core.collate.KeyEncoding;

/**
 * The byte range of a view query over one view's row keys (or its per-key reductions, whose keys are the row keys
 * without the doc id part), from CouchDB's {@code startkey}/{@code endkey} (with doc ids), {@code inclusive_end} and
 * {@code descending}. {@code from} is inclusive and {@code to} exclusive whatever the direction;
 * {@code startkey} bounds the top of a descending scan, as in CouchDB.
 */
record ViewKeyRange(byte[] from, byte[] to) {
    private static final byte[] AFTER_KEY = {(byte) 0xFF};

    static ViewKeyRange of(byte[] viewPrefix, JsonNode startkey, String startDocId, JsonNode endkey, String endDocId,
                       boolean inclusiveEnd, boolean descending) {
        byte[] all = viewPrefix;
        byte[] allEnd = ViewKeys.end(viewPrefix);
        if (!descending) {
            byte[] from = startkey == null ? all : below(viewPrefix, startkey, startDocId);
            byte[] to = endkey == null ? allEnd : inclusiveEnd ? above(viewPrefix, endkey, endDocId)
                    : below(viewPrefix, endkey, endDocId);
            return new ViewKeyRange(from, to);
        }
        byte[] to = startkey == null ? allEnd : above(viewPrefix, startkey, startDocId);
        byte[] from = endkey == null ? all : inclusiveEnd ? below(viewPrefix, endkey, endDocId)
                : above(viewPrefix, endkey, endDocId);
        return new ViewKeyRange(from, to);
    }

    /** The first position of {@code key}'s rows (from {@code docId}'s when given). */
    private static byte[] below(byte[] prefix, JsonNode key, String docId) {
        byte[] encoded = KeyEncoding.encode(key);
        return docId == null ? ViewKeys.concat(prefix, encoded) : ViewKeys.rowsOfDocFrom(prefix, encoded, docId);
    }

    /** Just past {@code key}'s rows (past {@code docId}'s when given). */
    private static byte[] above(byte[] prefix, JsonNode key, String docId) {
        byte[] encoded = KeyEncoding.encode(key);
        return docId == null ? ViewKeys.concat(prefix, encoded, AFTER_KEY) : ViewKeys.rowsOfDocTo(prefix, encoded, docId);
    }

    boolean isEmpty() {
        return to != null && java.util.Arrays.compareUnsigned(from, to) >= 0;
    }
}
