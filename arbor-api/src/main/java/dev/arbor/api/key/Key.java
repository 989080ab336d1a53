package dev.arbor.api.key;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.arbor.core.json.Json;

/**
 * How a Java type becomes a key: a view key (typed views) or a primary key (collections). This is the one place a
 * type's order is defined, BonsaiDb's {@code Key} trait in Java.
 *
 * <p>Two forms, each with its own contract:
 * <ul>
 *   <li>{@link #toJson}: the key as it is stored in view rows and shown over HTTP. It must round-trip through
 *       {@link #fromJson}, and CouchDB's collation of the JSON forms must order keys as the type orders them, so
 *       ranges, {@code descending} and {@code group_level} mean the same on the typed and the HTTP side.</li>
 *   <li>{@link #toId}: the key inside a document id (collections store records as documents). Document ids sort by
 *       their UTF-8 bytes ({@code _all_docs} order), so a collection's {@code list} order is the byte order of
 *       these strings. The default is the JSON text, which round-trips but orders numbers as text; the built-in
 *       numeric and time keys override it with fixed-width forms that sort numerically.</li>
 * </ul>
 * Implementations are immutable and thread-safe; the built-ins are in {@link Keys}.
 */
public interface Key<K> {

    /** The key's JSON form; never null for a non-null key. */
    JsonNode toJson(K key);

    /** The key back from its JSON form; a form this key never produces is an {@link IllegalArgumentException}. */
    K fromJson(JsonNode json);

    /** The key's form inside a document id; byte order of the results is the order of a collection listing. */
    default String toId(K key) {
        try {
            return Json.MAPPER.writeValueAsString(toJson(key));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("key does not serialise: " + key, e);
        }
    }

    /** The key back from {@link #toId}. */
    default K fromId(String id) {
        try {
            return fromJson(Json.MAPPER.readTree(id));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not an id of this key type: " + id, e);
        }
    }
}
