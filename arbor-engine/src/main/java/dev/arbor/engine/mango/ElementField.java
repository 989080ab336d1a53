package dev.arbor.engine.mango;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arbor.core.collate.KeyEncoding;
import dev.arbor.core.error.ArborException;
import dev.arbor.core.mango.FieldPath;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The array field of an array-element index: an index field with an unescaped {@code []} segment, such as
 * {@code "tags.[]"} (each element of {@code tags}) or {@code "items.[].sku"} (the {@code sku} of each element of
 * {@code items}). Such an index holds one row per distinct element value instead of one row for the whole
 * array, which is what {@code $elemMatch}, {@code $all}, {@code $allMatch} and {@code $in} ask about.
 *
 * <p>This is an Arbor extension. CouchDB reads {@code "tags.[]"} as the member named {@code []} of
 * {@code tags}; a member really named so is written {@code "tags.\\[]"} here, which means the same in both.
 *
 * @param position the field's position among the index's fields
 * @param text     the field as written, e.g. {@code "tags.[]"}
 * @param array    where the array is, e.g. {@code tags}
 * @param within   what of each element is indexed: {@link FieldPath#SELF} for the element itself
 */
record ElementField(int position, String text, FieldPath array, FieldPath within) {
    static final String MARKER = "[]";

    /** The element field of an index's fields, or null for a plain json index. */
    static ElementField find(List<String> fields) {
        ElementField found = null;
        for (int i = 0; i < fields.size(); i++) {
            ElementField element = parse(i, fields.get(i));
            if (element == null) {
                continue;
            }
            if (found != null) {
                // Two array fields would need a row per pair of elements: the cross product grows too fast.
                throw new ArborException.BadRequest("invalid_index_fields",
                        "An index may have only one array-element field ([]), not: " + found.text() + " and " + element.text());
            }
            found = element;
        }
        return found;
    }

    /** The field's raw segments split on unescaped dots, checked for one marker not in first place; null without one. */
    private static ElementField parse(int position, String text) {
        List<String> raw = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean escaped = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '.' && !escaped) {
                raw.add(current.toString());
                current.setLength(0);
            } else {
                current.append(c);
            }
            escaped = c == '\\';
        }
        raw.add(current.toString());
        int marker = raw.indexOf(MARKER);
        if (marker < 0) {
            return null;
        }
        if (marker == 0 || raw.lastIndexOf(MARKER) != marker) {
            throw new ArborException.BadRequest("invalid_index_fields",
                    "An array-element field needs one [] after the array's name, as in \"tags.[]\", not: " + text);
        }
        FieldPath array = FieldPath.parse(String.join(".", raw.subList(0, marker)));
        FieldPath within = marker == raw.size() - 1 ? FieldPath.SELF
                : FieldPath.parse(String.join(".", raw.subList(marker + 1, raw.size())));
        return new ElementField(position, text, array, within);
    }

    /**
     * The values this field indexes in {@code doc}, distinct in collation order of their encodings: each
     * element of the array (or the {@code within} member of each), so a document matching through several
     * elements still has one row per value. A value that is not an array is indexed as itself when
     * {@code within} is SELF, so {@code $eq} and {@code $in} (which compare scalars whole) find it too.
     * An empty array has no rows: no element condition matches it.
     */
    List<JsonNode> values(JsonNode doc) {
        if (!(array.lookup(doc) instanceof FieldPath.Lookup.Found found)) {
            return List.of();
        }
        JsonNode value = found.value();
        if (!value.isArray()) {
            return within.isSelf() ? List.of(value) : List.of();
        }
        Map<ByteBuffer, JsonNode> distinct = new LinkedHashMap<>();
        for (JsonNode element : value) {
            JsonNode indexed = within.isSelf() ? element
                    : within.lookup(element) instanceof FieldPath.Lookup.Found member ? member.value() : null;
            if (indexed != null) {
                distinct.putIfAbsent(ByteBuffer.wrap(KeyEncoding.encode(indexed)), indexed);
            }
        }
        return List.copyOf(distinct.values());
    }
}
