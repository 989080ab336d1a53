package dev.arbor.api.permission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.arbor.core.json.Json;

import java.util.ArrayList;
import java.util.List;

/**
 * A hierarchical name of something permissions are granted on, as BonsaiDb's {@code ResourceName}: segments that are
 * strings, integers, {@code *} or (for document ids) prefixes. Every name of Arbor's starts with {@code "arbor"}:
 * <pre>
 * ["arbor"]                                              the server
 * ["arbor", "database", db]                               a database, and everything in it
 * ["arbor", "database", db, "document", id]               one document ({"prefix": "p:"} for a partition)
 * ["arbor", "database", db, "view", ddoc, view]           a view; ["arbor", "database", db, "index", ddoc, name]
 * ["arbor", "database", db, "kv", key]                    a key-value key
 * ["arbor", "database", db, "topic", topic]               a pub/sub topic
 * ["arbor", "key", id]                                    an encryption key
 * ["arbor", "user", name]                                 a user
 * ["arbor", "api", name]                                  a custom server API
 * </pre>
 * A statement on a name covers every name below it; {@code *} stands for any one segment.
 */
public record ResourceName(List<Segment> segments) {
    public ResourceName {
        segments = List.copyOf(segments);
        if (segments.isEmpty()) {
            throw new IllegalArgumentException("a resource name has at least one segment");
        }
    }

    /** A name from segments: {@link Segment}s, strings ({@code "*"} is any segment), ints and longs. */
    public static ResourceName of(Object... segments) {
        List<Segment> parsed = new ArrayList<>(segments.length);
        for (Object segment : segments) {
            parsed.add(switch (segment) {
                case Segment s -> s;
                case String text -> "*".equals(text) ? Segment.any() : Segment.of(text);
                case Integer number -> Segment.of(number);
                case Long number -> Segment.of(number);
                default -> throw new IllegalArgumentException("not a resource name segment: " + segment);
            });
        }
        return new ResourceName(parsed);
    }

    public static ResourceName server() {
        return of("arbor");
    }

    public static ResourceName database(String database) {
        return of("arbor", "database", database);
    }

    public static ResourceName document(String database, String id) {
        return of("arbor", "database", database, "document", id);
    }

    /** Every document of {@code database} whose id starts with {@code prefix}. */
    public static ResourceName documentsWithPrefix(String database, String prefix) {
        return of("arbor", "database", database, "document", Segment.prefix(prefix));
    }

    /** The documents of one partition of a partitioned database: ids {@code partition:...}. */
    public static ResourceName partition(String database, String partition) {
        return documentsWithPrefix(database, partition + ":");
    }

    /**
     * The documents of one typed collection (BonsaiDb's collection resource): a collection's records are the
     * documents whose ids start with its qualified name and a colon, so this is that id prefix.
     */
    public static ResourceName collection(String database, String qualifiedName) {
        return documentsWithPrefix(database, qualifiedName + ":");
    }

    public static ResourceName view(String database, String ddoc, String view) {
        return of("arbor", "database", database, "view", ddoc, view);
    }

    public static ResourceName index(String database, String ddoc, String name) {
        return of("arbor", "database", database, "index", ddoc, name);
    }

    public static ResourceName keyValueKey(String database, String key) {
        return of("arbor", "database", database, "kv", key);
    }

    public static ResourceName topic(String database, String topic) {
        return of("arbor", "database", database, "topic", topic);
    }

    public static ResourceName encryptionKey(String id) {
        return of("arbor", "key", id);
    }

    /** A custom server API, which callers need {@code api.call} on (or the action the API declares). */
    public static ResourceName api(String name) {
        return of("arbor", "api", name);
    }

    public static ResourceName user(String name) {
        return of("arbor", "user", name);
    }

    /** Whether this name, in a statement, covers {@code requested}: it or something below it. */
    public boolean covers(ResourceName requested) {
        if (segments.size() > requested.segments.size()) {
            return false;
        }
        for (int i = 0; i < segments.size(); i++) {
            if (!segments.get(i).covers(requested.segments.get(i))) {
                return false;
            }
        }
        return true;
    }

    public int size() {
        return segments.size();
    }

    public Segment segment(int index) {
        return segments.get(index);
    }

    /**
     * A name from its JSON form: an array of strings, integers, {@code "*"} and {@code {"prefix": "..."}} objects.
     *
     * @throws IllegalArgumentException naming what is wrong, for anything else
     */
    public static ResourceName fromJson(JsonNode json) {
        if (json == null || !json.isArray() || json.isEmpty()) {
            throw new IllegalArgumentException("a resource name is a non-empty array of segments, not "
                    + (json == null ? "nothing" : Json.text(json)));
        }
        List<Segment> segments = new ArrayList<>(json.size());
        for (JsonNode segment : json) {
            segments.add(segmentFromJson(segment, json));
        }
        return new ResourceName(segments);
    }

    private static Segment segmentFromJson(JsonNode segment, JsonNode name) {
        if (segment.isTextual()) {
            return "*".equals(segment.asText()) ? Segment.any() : Segment.of(segment.asText());
        }
        if (segment.isIntegralNumber() && segment.canConvertToLong()) {
            return Segment.of(segment.asLong());
        }
        if (segment.isObject() && segment.size() == 1 && segment.path("prefix").isTextual()) {
            return Segment.prefix(segment.get("prefix").asText());
        }
        throw new IllegalArgumentException("resource name " + Json.text(name) + ": a segment is a string, an integer, "
                + "\"*\" or {\"prefix\": \"...\"}, not " + Json.text(segment));
    }

    public ArrayNode toJson() {
        ArrayNode out = Json.MAPPER.createArrayNode();
        segments.forEach(segment -> out.add(Json.MAPPER.valueToTree(segment.json())));
        return out;
    }

    @Override
    public String toString() {
        return Json.text(toJson());
    }
}
