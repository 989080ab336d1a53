package dev.arbor.engine.mango;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.arbor.core.json.Json;
import dev.arbor.core.mango.FieldPath;
import dev.arbor.core.mango.Selector;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

/**
 * The top-level members a computation over a document reads (a selector, sort fields, index fields), and a
 * reader that builds, from a stored body, a document holding only those members. A selector
 * or an index key sees exactly the same values in that partial document as in the whole one, so it answers
 * the same; building it skips the tree of every other member (in Mango's workloads, most of the document),
 * which is where a query or an index build spent its time. Immutable and thread-safe.
 */
final class TopLevelFields {
    private final Set<String> names;
    /** How many of {@link #names} a body can hold: all but {@code _id}, which is never stored in it. */
    private final int bodyNames;

    /** The wanted names a body can hold, and their UTF-8 spellings, index for index. */
    private final String[] bodyNameList;
    private final byte[][] encodedNames;

    private TopLevelFields(Set<String> names) {
        this.names = Set.copyOf(names);
        this.bodyNameList = names.stream().filter(name -> !name.equals("_id")).toArray(String[]::new);
        this.bodyNames = bodyNameList.length;
        this.encodedNames = new byte[bodyNames][];
        for (int n = 0; n < bodyNames; n++) {
            encodedNames[n] = bodyNameList[n].getBytes(StandardCharsets.UTF_8);
        }
    }

    /**
     * The members {@code selectors} and {@code paths} read, or null when they need the whole document: a path
     * that names the document itself, or a special member other than {@code _id} ({@code _rev},
     * {@code _conflicts}, {@code _attachments}... are added to a document on the way out, not stored in its
     * body).
     */
    static TopLevelFields of(Collection<Selector> selectors, Collection<FieldPath> paths) {
        Set<String> names = new HashSet<>();
        for (Selector selector : selectors) {
            if (!collect(selector, names)) {
                return null;
            }
        }
        for (FieldPath path : paths) {
            if (!add(path, names)) {
                return null;
            }
        }
        return new TopLevelFields(names);
    }

    private static boolean collect(Selector selector, Set<String> names) {
        return switch (selector) {
            case Selector.MatchAll all -> true;
            case Selector.And and -> and.clauses().stream().allMatch(clause -> collect(clause, names));
            case Selector.Or or -> or.clauses().stream().allMatch(clause -> collect(clause, names));
            case Selector.Not not -> collect(not.clause(), names);
            // A condition (even $elemMatch's sub-selector) looks only inside the field's value.
            case Selector.Field field -> add(field.path(), names);
        };
    }

    private static boolean add(FieldPath path, Set<String> names) {
        if (path.segments().isEmpty()) {
            return false;
        }
        String top = path.segments().get(0);
        if (top.startsWith("_") && !top.equals("_id")) {
            return false;
        }
        names.add(top);
        return true;
    }

    /**
     * Document {@code id} with those of the wanted members {@code body} has ({@code _id} among them when wanted),
     * each with the value a full parse gives it. Reading stops at the last wanted member: a stored body never
     * repeats a member, as every body is written from a parsed tree, where a repeated member kept only its last value.
     *
     * <p>The body is walked byte by byte rather than through a Jackson parser, whose creation alone cost as much as
     * the walk (W7 judges ~10,000 candidates a query this way): a stored body is well-formed JSON, so skipping a
     * member is finding where its value ends. Strings without escapes and integers of up to 18 digits are built
     * here; any other wanted value (escapes, fractions, objects, arrays) is handed to Jackson over its bytes, and a
     * member name with an escape sends the whole body there, so every value is the one a full parse gives.
     */
    ObjectNode read(String id, byte[] body) {
        ObjectNode doc = Json.object();
        if (names.contains("_id")) {
            doc.put("_id", id);
        }
        int i = skipSpace(body, 0);
        if (i >= body.length || body[i] != '{') {
            throw new IllegalStateException("the stored body of " + id + " is not a JSON object");
        }
        i = skipSpace(body, i + 1);
        int found = 0;
        while (found < bodyNames && i < body.length && body[i] == '"') {
            int nameEnd = i + 1;
            while (body[nameEnd] != '"') {
                if (body[nameEnd] == '\\') {
                    return readWithParser(id, body);
                }
                nameEnd++;
            }
            String wanted = wanted(body, i + 1, nameEnd);
            int value = skipSpace(body, skipSpace(body, nameEnd + 1) + 1); // past the ':'
            int valueEnd = skipValue(body, value);
            if (wanted != null) {
                doc.set(wanted, value(body, value, valueEnd));
                found++;
            }
            i = skipSpace(body, valueEnd);
            if (i < body.length && body[i] == ',') {
                i = skipSpace(body, i + 1);
            }
        }
        return doc;
    }

    /** The wanted name spelled by {@code body[from, to)}, or null. */
    private String wanted(byte[] body, int from, int to) {
        for (int n = 0; n < encodedNames.length; n++) {
            if (Arrays.equals(body, from, to, encodedNames[n], 0, encodedNames[n].length)) {
                return bodyNameList[n];
            }
        }
        return null;
    }

    private static JsonNode value(byte[] body, int from, int to) {
        byte first = body[from];
        if (first == '"') {
            boolean escaped = false;
            for (int k = from + 1; k < to - 1 && !escaped; k++) {
                escaped = body[k] == '\\';
            }
            if (!escaped) {
                return TextNode.valueOf(new String(body, from + 1, to - from - 2, StandardCharsets.UTF_8));
            }
        } else if (first == 't' || first == 'f' || first == 'n') {
            return first == 't' ? BooleanNode.TRUE : first == 'f' ? BooleanNode.FALSE : NullNode.instance;
        } else if (to - from <= 18) {
            long integer = 0;
            boolean negative = first == '-';
            int k = negative ? from + 1 : from;
            boolean digits = k < to;
            for (; k < to && digits; k++) {
                digits = body[k] >= '0' && body[k] <= '9';
                integer = integer * 10 + (body[k] - '0');
            }
            if (digits) {
                integer = negative ? -integer : integer;
                // Jackson's node for an integer: an int when it fits, else a long (18 digits always fit a long).
                return integer == (int) integer ? IntNode.valueOf((int) integer) : LongNode.valueOf(integer);
            }
        }
        try (JsonParser parser = Json.STORED.createParser(body, from, to - from)) {
            return Json.storedValue(parser.nextToken(), parser);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Where the well-formed JSON value starting at {@code i} ends. */
    private static int skipValue(byte[] body, int i) {
        byte first = body[i];
        if (first == '"') {
            return skipString(body, i);
        }
        if (first == '{' || first == '[') {
            int depth = 0;
            do {
                byte b = body[i];
                if (b == '"') {
                    i = skipString(body, i);
                    continue;
                }
                if (b == '{' || b == '[') {
                    depth++;
                } else if (b == '}' || b == ']') {
                    depth--;
                }
                i++;
            } while (depth > 0);
            return i;
        }
        while (i < body.length && body[i] != ',' && body[i] != '}' && body[i] != ']' && body[i] > ' ') {
            i++;
        }
        return i;
    }

    /** Past the closing quote of the string whose opening quote is at {@code i}. */
    private static int skipString(byte[] body, int i) {
        i++;
        while (body[i] != '"') {
            i += body[i] == '\\' ? 2 : 1;
        }
        return i + 1;
    }

    private static int skipSpace(byte[] body, int i) {
        while (i < body.length && (body[i] == ' ' || body[i] == '\n' || body[i] == '\r' || body[i] == '\t')) {
            i++;
        }
        return i;
    }

    /** {@link #read} through a Jackson parser: for a body whose member names hold escapes. */
    private ObjectNode readWithParser(String id, byte[] body) {
        ObjectNode doc = Json.object();
        if (names.contains("_id")) {
            doc.put("_id", id);
        }
        try (JsonParser parser = Json.STORED.createParser(body)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalStateException("the stored body of " + id + " is not a JSON object");
            }
            int found = 0;
            while (found < bodyNames && parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken token = parser.nextToken();
                if (names.contains(name)) {
                    doc.set(name, Json.storedValue(token, parser));
                    found++;
                } else {
                    parser.skipChildren();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return doc;
    }
}
