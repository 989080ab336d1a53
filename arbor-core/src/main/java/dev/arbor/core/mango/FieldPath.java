package dev.arbor.core.mango;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

/**
 * A dotted field name such as {@code "address.city"} or {@code "tags.0"}, split as CouchDB's
 * {@code mango_util:parse_field} splits it: on every dot not preceded by a backslash, after which every
 * backslash is dropped, so {@code "a\\.b"} names the single member {@code "a.b"}.
 *
 * @param text     the name as written in the query; CouchDB compares this text (not the segments) when it
 *                 decides whether a condition is on {@code _id}
 * @param segments the member names (or array positions) from the document root; empty for {@link #SELF}
 */
public record FieldPath(String text, List<String> segments) {
    /** The value itself: what the conditions inside {@code $elemMatch} without a field name apply to. */
    public static final FieldPath SELF = new FieldPath("", List.of());

    public FieldPath {
        segments = List.copyOf(segments);
    }

    /**
     * Parses a non-empty field name. An empty segment ({@code "a..b"}, {@code ".a"}, {@code "a."}, {@code ""})
     * is refused with 400 {@code invalid_field_name}. CouchDB raises the same condition only when it first
     * evaluates the name and reports it as a 500 {@code unknown_error}; refusing up front is the only
     * behaviour a client can rely on.
     */
    public static FieldPath parse(String text) {
        List<String> segments = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean previousWasBackslash = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '.' && !previousWasBackslash) {
                segments.add(checkedSegment(current.toString(), text));
                current.setLength(0);
            } else if (c != '\\') {
                current.append(c);
            }
            previousWasBackslash = c == '\\';
        }
        segments.add(checkedSegment(current.toString(), text));
        return new FieldPath(text, segments);
    }

    private static String checkedSegment(String segment, String text) {
        if (segment.isEmpty()) {
            throw MangoErrors.invalidFieldName(text);
        }
        return segment;
    }

    /** Whether this is the value itself rather than a member of it. */
    public boolean isSelf() {
        return segments.isEmpty();
    }

    /**
     * Looks the path up in {@code value} as CouchDB's {@code mango_doc:get_field} does: object members by
     * name, array elements by a segment that reads as a non-negative integer in range (Erlang's
     * {@code list_to_integer}, so {@code "+1"} and {@code "01"} are position 1). A missing member is
     * {@link Lookup.Missing#NOT_FOUND}; stepping into a scalar, a bad position, or a non-number on an array is
     * {@link Lookup.Missing#BAD_PATH}. The difference matters: only NOT_FOUND satisfies {@code $exists: false}.
     */
    public Lookup lookup(JsonNode value) {
        JsonNode current = value;
        for (String segment : segments) {
            if (current.isObject()) {
                JsonNode member = current.get(segment);
                if (member == null) {
                    return Lookup.Missing.NOT_FOUND;
                }
                current = member;
            } else if (current.isArray()) {
                int position = arrayPosition(segment, current.size());
                if (position < 0) {
                    return Lookup.Missing.BAD_PATH;
                }
                current = current.get(position);
            } else {
                return Lookup.Missing.BAD_PATH;
            }
        }
        return new Lookup.Found(current);
    }

    /** Erlang's {@code list_to_integer}: an optional sign and decimal digits; -1 when not a position in range. */
    private static int arrayPosition(String segment, int size) {
        int start = segment.charAt(0) == '+' || segment.charAt(0) == '-' ? 1 : 0;
        if (start == segment.length()) {
            return -1;
        }
        for (int i = start; i < segment.length(); i++) {
            if (segment.charAt(i) < '0' || segment.charAt(i) > '9') {
                return -1;
            }
        }
        java.math.BigInteger position = new java.math.BigInteger(segment);
        return position.signum() >= 0 && position.compareTo(java.math.BigInteger.valueOf(size)) < 0
                ? position.intValue() : -1;
    }

    @Override
    public String toString() {
        return text;
    }

    /** The outcome of {@link #lookup}. */
    public sealed interface Lookup {
        record Found(JsonNode value) implements Lookup {}

        enum Missing implements Lookup { NOT_FOUND, BAD_PATH }
    }
}
