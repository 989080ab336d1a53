package dev.arbor.api;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One {@code _all_docs} row: {@code {id, key, value: {rev[, deleted]}[, doc]}}, or for a {@code keys}
 * lookup of an unknown id {@code {key, error: "not_found"}}. A deleted doc shows only in a keys lookup,
 * with {@code deleted} true and a null doc.
 */
public record AllDocsRow(String id, String key, String rev, boolean deleted, ObjectNode doc, String error) {
    public static AllDocsRow notFound(String key) {
        return new AllDocsRow(null, key, null, false, null, "not_found");
    }
}
