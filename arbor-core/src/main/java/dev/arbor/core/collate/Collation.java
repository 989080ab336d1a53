package dev.arbor.core.collate;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Comparator;
import java.util.Iterator;
import java.util.Map;

/**
 * CouchDB's view collation as a {@link Comparator}, following {@code couch_ejson_compare} in apache/couchdb:
 * <ol>
 *   <li>{@code null < false < true < numbers < strings < arrays < objects};</li>
 *   <li>numbers by numeric value, integers and decimals alike ({@code 3 == 3.0 == 3e0});</li>
 *   <li>strings by the ICU root collator as CouchDB configures it (see {@link #compareStrings});</li>
 *   <li>arrays element by element, then the shorter first;</li>
 *   <li>objects member by member in their given order, each member by key (as a string) then value,
 *       then the object with fewer members first. Member order matters: {@code {"b":2,"a":1}} is not
 *       {@code {"a":1,"b":2}}.</li>
 * </ol>
 *
 * <p>Numbers compare by exact value. CouchDB's JSON decoder turns decimals into IEEE doubles, so two decimals
 * that differ only past the 17th significant digit (which no JavaScript map function can emit) are equal there
 * but ordered here; every value a double can hold, and every integer, orders as in CouchDB.
 *
 * <p>The order is total on JSON values but not consistent with {@link JsonNode#equals}: {@code 1} and
 * {@code 1.0}, or {@code "é"} and {@code "e\u0301"}, compare 0. {@link KeyEncoding} encodes exactly such pairs
 * to the same bytes.
 */
public final class Collation implements Comparator<JsonNode> {
    /** The comparator. Stateless and thread-safe. */
    public static final Collation INSTANCE = new Collation();

    private Collation() {}

    @Override
    public int compare(JsonNode a, JsonNode b) {
        JsonType typeA = JsonType.of(a);
        JsonType typeB = JsonType.of(b);
        if (typeA != typeB) {
            return typeA.compareTo(typeB) < 0 ? -1 : 1;
        }
        return switch (typeA) {
            case NULL, FALSE, TRUE -> 0;
            case NUMBER -> compareNumbers(a, b);
            case STRING -> compareStrings(a.textValue(), b.textValue());
            case ARRAY -> compareArrays(a, b);
            case OBJECT -> compareObjects(a, b);
        };
    }

    /**
     * The string rule of view collation on its own: ICU's Unicode Collation Algorithm with the root locale, so
     * {@code "a" < "A" < "aa" < "b"}, punctuation before digits before letters. ICU's answer is final: strings
     * ICU finds equal (canonically equivalent, or differing only in ignorable characters) compare 0, as in
     * CouchDB. Returns -1, 0 or 1.
     */
    public static int compareStrings(String a, String b) {
        return RootCollator.compare(a, b);
    }

    private static int compareNumbers(JsonNode a, JsonNode b) {
        // Fast paths for the two representations view keys almost always have; both agree with the exact path.
        if ((a.isInt() || a.isLong()) && (b.isInt() || b.isLong())) {
            return Long.compare(a.longValue(), b.longValue());
        }
        if (a.isDouble() && b.isDouble()) {
            double x = DecimalValue.finite(a.doubleValue());
            double y = DecimalValue.finite(b.doubleValue());
            return x < y ? -1 : x > y ? 1 : 0; // not Double.compare, which orders -0.0 before 0.0
        }
        return Integer.signum(DecimalValue.of(a).compareTo(DecimalValue.of(b)));
    }

    private int compareArrays(JsonNode a, JsonNode b) {
        int common = Math.min(a.size(), b.size());
        for (int i = 0; i < common; i++) {
            int c = compare(a.get(i), b.get(i));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.size(), b.size());
    }

    private int compareObjects(JsonNode a, JsonNode b) {
        Iterator<Map.Entry<String, JsonNode>> membersA = a.properties().iterator();
        Iterator<Map.Entry<String, JsonNode>> membersB = b.properties().iterator();
        while (membersA.hasNext() && membersB.hasNext()) {
            Map.Entry<String, JsonNode> memberA = membersA.next();
            Map.Entry<String, JsonNode> memberB = membersB.next();
            int c = compareStrings(memberA.getKey(), memberB.getKey());
            if (c == 0) {
                c = compare(memberA.getValue(), memberB.getValue());
            }
            if (c != 0) {
                return c;
            }
        }
        return Boolean.compare(membersA.hasNext(), membersB.hasNext());
    }
}
