package dev.arbor.engine.mango;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.BigIntegerNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.core.json.Json;
import dev.arbor.core.mango.FieldPath;
import dev.arbor.core.mango.Selector;

import java.io.IOException;
import java.io.UncheckedIOException;
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
    /** Reads one member's value from a parser positioned on it, leaving the rest of the body to the caller. */
    private static final ObjectReader MEMBER_READER = Json.STORED.without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final Set<String> names;
    /** How many of {@link #names} a body can hold: all but {@code _id}, which is never stored in it. */
    private final int bodyNames;

    private TopLevelFields(Set<String> names) {
        this.names = Set.copyOf(names);
        this.bodyNames = names.size() - (names.contains("_id") ? 1 : 0);
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
     * repeats a member, as every body was parsed with the duplicate check on its way in ({@code Json.MAPPER}).
     */
    ObjectNode read(String id, byte[] body) {
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
                    doc.set(name, value(token, parser));
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

    /**
     * The value at {@code token}; strings, literals and integers built directly (as the mapper's node deserializer
     * builds them, without a deserialization context each), other numbers and containers as the mapper reads them.
     */
    private static JsonNode value(JsonToken token, JsonParser parser) throws IOException {
        return switch (token) {
            case VALUE_STRING -> TextNode.valueOf(parser.getText());
            case VALUE_NUMBER_INT -> switch (parser.getNumberType()) {
                case INT -> IntNode.valueOf(parser.getIntValue());
                case LONG -> LongNode.valueOf(parser.getLongValue());
                default -> BigIntegerNode.valueOf(parser.getBigIntegerValue());
            };
            case VALUE_TRUE -> BooleanNode.TRUE;
            case VALUE_FALSE -> BooleanNode.FALSE;
            case VALUE_NULL -> NullNode.instance;
            default -> MEMBER_READER.readTree(parser);
        };
    }
}
