package dev.arbor.js;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Objects;

/** A row of a view as the first (non-rereduce) reduce sees it: emitted key, the emitting doc's id, emitted value. */
public record MapRow(JsonNode key, String docId, JsonNode value) {
    public MapRow {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(docId, "docId");
        Objects.requireNonNull(value, "value");
    }
}
