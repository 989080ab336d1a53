package dev.arbor.api.find;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;

/**
 * An index to create, {@code POST /{db}/_index}'s body.
 *
 * @param fields                the indexed fields (dotted paths), in index order
 * @param partialFilterSelector only documents matching it are indexed; null for every document
 * @param ddoc                  design document to hold the index, with or without {@code _design/}; null to
 *                              let the database name one after the definition (as CouchDB does)
 * @param name                  the index's name; null to name it after the definition
 * @param partitioned           whether the index is partitioned (queried per partition); null for the database's
 *                              default, as CouchDB: partitioned in a partitioned database, global otherwise
 * @param type                  {@code "json"} (or null), or {@code "array"}: an array-element index (an Arbor
 *                              extension), which must have a field with a {@code []} segment, as {@code "tags.[]"}. A
 *                              json index with such a field is an array-element index too; {@code GET /_index} lists
 *                              both as {@code "array"}
 */
public record IndexDefinition(List<String> fields, JsonNode partialFilterSelector, String ddoc, String name,
                              Boolean partitioned, String type) {
    public static final String JSON = "json";
    public static final String ARRAY = "array";

    public IndexDefinition {
        if (fields == null || fields.isEmpty()) {
            throw new IllegalArgumentException("an index needs at least one field");
        }
        fields = List.copyOf(fields);
    }

    /** A {@code json} index. */
    public IndexDefinition(List<String> fields, JsonNode partialFilterSelector, String ddoc, String name,
                           Boolean partitioned) {
        this(fields, partialFilterSelector, ddoc, name, partitioned, null);
    }

    public static IndexDefinition of(String... fields) {
        return new IndexDefinition(List.of(fields), null, null, null, null, null);
    }

    public IndexDefinition partialFilterSelector(JsonNode v) { return new IndexDefinition(fields, v, ddoc, name, partitioned, type); }
    public IndexDefinition ddoc(String v) { return new IndexDefinition(fields, partialFilterSelector, v, name, partitioned, type); }
    public IndexDefinition name(String v) { return new IndexDefinition(fields, partialFilterSelector, ddoc, v, partitioned, type); }
    public IndexDefinition partitioned(Boolean v) { return new IndexDefinition(fields, partialFilterSelector, ddoc, name, v, type); }
    public IndexDefinition type(String v) { return new IndexDefinition(fields, partialFilterSelector, ddoc, name, partitioned, v); }
}
