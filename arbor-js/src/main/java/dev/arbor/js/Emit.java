package dev.arbor.js;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Objects;

/** One {@code emit(key, value)} of a map function, as JSON ({@code undefined} already turned into null). */
public record Emit(JsonNode key, JsonNode value) {
    public Emit {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
    }
}
