package dev.arbor.core.collate;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The coarse order of JSON kinds in CouchDB collation. {@code false} and {@code true} are ranks of their own
 * because CouchDB orders the atoms {@code null < false < true} before any number.
 */
enum JsonType {
    NULL, FALSE, TRUE, NUMBER, STRING, ARRAY, OBJECT;

    static JsonType of(JsonNode node) {
        return switch (node.getNodeType()) {
            case NULL -> NULL;
            case BOOLEAN -> node.booleanValue() ? TRUE : FALSE;
            case NUMBER -> NUMBER;
            case STRING -> STRING;
            case ARRAY -> ARRAY;
            case OBJECT -> OBJECT;
            // MISSING, POJO and BINARY nodes have no JSON text, so CouchDB could never have seen them as keys.
            default -> throw new IllegalArgumentException("not a JSON value: " + node.getNodeType());
        };
    }
}
