package dev.arbor.api.live;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Objects;

/**
 * A row as a {@link ResumeToken} names it: which row ({@code id}, and the view key for a view row) and which state of
 * it ({@code version}), without its contents.
 */
public record RowRef(String id, JsonNode key, String version) {
    public RowRef {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(version, "version");
    }
}
