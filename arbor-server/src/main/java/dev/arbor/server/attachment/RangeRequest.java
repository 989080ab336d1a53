package dev.arbor.server.attachment;

import java.util.ArrayList;
import java.util.List;

/**
 * What a {@code Range} header asks of an attachment of a known length, decided as CouchDB 3's
 * {@code chttpd_db:parse_ranges} decides it.
 */
public sealed interface RangeRequest {

    /** Answer 200 with the whole attachment. */
    record Full() implements RangeRequest {}

    /** Answer 206 with bytes {@code first..last} (inclusive) and {@code Content-Range}. */
    record Single(long first, long last) implements RangeRequest {
        public long length() {
            return last - first + 1;
        }

        public String contentRange(long total) {
            return "bytes " + first + "-" + last + "/" + total;
        }
    }

    /** Answer 416 with {@code Content-Range: bytes *}{@code /length}. */
    record Unsatisfiable() implements RangeRequest {}

    /**
     * @param header the {@code Range} header, or null
     * @param length the attachment's length in bytes
     */
    static RangeRequest parse(String header, long length) {
        if (header == null) {
            return new Full();
        }
        String value = header.strip();
        if (!value.regionMatches(true, 0, "bytes=", 0, 6)) {
            // Mochiweb answers "fail" for units it does not know; CouchDB then sends the whole body.
            return new Full();
        }
        String specs = value.substring(6).strip();
        if (specs.equals("0-")) {
            // CouchDB treats "bytes=0-" as no range at all: 200 with the whole body.
            return new Full();
        }
        List<Single> ranges = new ArrayList<>();
        for (String spec : specs.split(",")) {
            Single range;
            try {
                range = parseOne(spec.strip(), length);
            } catch (NumberFormatException malformed) {
                return new Full();
            }
            if (range == null) {
                return new Unsatisfiable();
            }
            ranges.add(range);
        }
        if (ranges.size() != 1) {
            // CouchDB answers a few ranges with multipart/byteranges; RFC 9110 lets a server ignore
            // Range and send the whole representation, which every client handles. We do the latter.
            return new Full();
        }
        return ranges.get(0);
    }

    /** One {@code first-last}, {@code first-} or {@code -suffix}; null when it cannot be satisfied. */
    private static Single parseOne(String spec, long length) {
        int dash = spec.indexOf('-');
        if (dash < 0 || spec.indexOf('-', dash + 1) >= 0) {
            throw new NumberFormatException("not a byte range: " + spec);
        }
        String from = spec.substring(0, dash).strip();
        String to = spec.substring(dash + 1).strip();
        if (from.isEmpty()) {
            long suffix = Long.parseUnsignedLong(to);
            if (suffix == 0 || length == 0) {
                return null;
            }
            return new Single(Math.max(0, length - suffix), length - 1);
        }
        long first = Long.parseUnsignedLong(from);
        long last = to.isEmpty() ? length - 1 : Long.parseUnsignedLong(to);
        if (last < first || first >= length) {
            return null;
        }
        return new Single(first, Math.min(last, length - 1));
    }
}
