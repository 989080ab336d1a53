package dev.arbor.api;

import java.util.List;

/**
 * One entry of a {@code _bulk_get} answer. Each of {@code docs} is a found doc or an error
 * ({@code {error: {id, rev, error, reason}}} in CouchDB's JSON).
 */
public record BulkGetResult(String id, List<Entry> docs) {
    public sealed interface Entry {}

    public record Ok(com.fasterxml.jackson.databind.node.ObjectNode doc) implements Entry {}

    public record Error(String id, String rev, String error, String reason) implements Entry {}
}
