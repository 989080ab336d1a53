package dev.arbor.engine.store;

import java.util.Arrays;

/**
 * A scan range over raw id bytes in CouchDB's terms: start and end as the client names them (they
 * swap roles when descending), end inclusive or not. Immutable.
 */
public record IdRange(byte[] from, byte[] to, boolean hasStart, boolean descending) {
    public static IdRange of(String start, String end, boolean inclusiveEnd, boolean descending) {
        byte[] s = start == null ? null : DatabaseKeys.docId(start);
        byte[] e = end == null ? null : DatabaseKeys.docId(end);
        if (!descending) {
            return new IdRange(s, e == null ? null : inclusiveEnd ? DatabaseKeys.after(e) : e, s != null, false);
        }
        return new IdRange(e == null ? null : inclusiveEnd ? e : DatabaseKeys.after(e), s == null ? null : DatabaseKeys.after(s), s != null, true);
    }

    /** This range clipped to {@code [lowest, highest)} (null bounds open): a partition's ids. */
    public IdRange within(byte[] lowest, byte[] highest) {
        byte[] f = from == null || (lowest != null && Arrays.compareUnsigned(lowest, from) > 0) ? lowest : from;
        byte[] t = to == null || (highest != null && Arrays.compareUnsigned(highest, to) < 0) ? highest : to;
        return new IdRange(f, t, hasStart, descending);
    }

    public boolean isEmpty() {
        return from != null && to != null && Arrays.compareUnsigned(from, to) >= 0;
    }
}
