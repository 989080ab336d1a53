package dev.arbor.client.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arbor.core.json.Json;

/**
 * A query string in the making. CouchDB reads some parameters as JSON ({@code startkey="a"},
 * {@code open_revs=["1-x"]}) and others as plain text ({@code rev=1-x}); {@link #json} and {@link #add}
 * keep the two apart.
 */
public final class Query {
    private final StringBuilder text = new StringBuilder();

    public Query add(String name, String value) {
        text.append(text.isEmpty() ? '?' : '&').append(UrlEncoding.encode(name)).append('=').append(UrlEncoding.encode(value));
        return this;
    }

    /** Adds {@code name=true} when {@code flag} is set; CouchDB's defaults are all false. */
    public Query flag(String name, boolean flag) {
        return flag ? add(name, "true") : this;
    }

    /** Adds a JSON-valued parameter. */
    public Query json(String name, JsonNode value) {
        return add(name, Json.text(value));
    }

    /** Adds a JSON string parameter, as {@code startkey} and {@code key} take them. */
    public Query jsonString(String name, String value) {
        return value == null ? this : json(name, Json.MAPPER.getNodeFactory().textNode(value));
    }

    @Override
    public String toString() {
        return text.toString();
    }
}
