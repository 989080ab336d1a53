package dev.arbor.api.find;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arbor.core.json.Json;

import java.util.List;

/**
 * A Mango query, {@code POST /{db}/_find}'s body, with CouchDB's option names and defaults.
 *
 * <p>The selector and the sort stay in their JSON form here: parsing and validating them is the query
 * engine's job (it answers CouchDB's errors for a malformed one), and the remote client sends them as given.
 *
 * @param selector       the Mango selector (a JSON object)
 * @param fields         fields to return (dotted paths); null returns whole documents
 * @param sort           CouchDB's sort syntax ({@code ["a", {"b": "desc"}]}); null or empty for none
 * @param limit          at most this many documents (CouchDB's default is 25)
 * @param skip           documents to skip first
 * @param bookmark       where an earlier page ended ({@link FindResult#bookmark()}); null to start at the beginning
 * @param executionStats whether the result carries {@link ExecutionStats}
 * @param r              read quorum; accepted for compatibility, a single node always reads one copy
 * @param conflicts      include {@code _conflicts} in returned documents
 * @param update         bring the index up to date before reading it ({@code false} reads it as it is)
 * @param stable         accepted for compatibility; a single node always answers from one copy
 * @param useIndex       {@code []}, {@code ["ddoc"]} or {@code ["ddoc", "name"]}; the ddoc with or without {@code _design/}
 */
public record FindRequest(JsonNode selector, List<String> fields, JsonNode sort, int limit, int skip, String bookmark,
                          boolean executionStats, int r, boolean conflicts, boolean update, boolean stable,
                          List<String> useIndex) {

    public static final int DEFAULT_LIMIT = 25;

    public FindRequest {
        fields = fields == null ? null : List.copyOf(fields);
        useIndex = useIndex == null ? List.of() : List.copyOf(useIndex);
        if (useIndex.size() > 2) {
            throw new IllegalArgumentException("use_index names a design document and at most one index");
        }
    }

    /** A query with CouchDB's defaults: every field, no sort, limit 25. */
    public static FindRequest of(JsonNode selector) {
        return new FindRequest(selector, null, null, DEFAULT_LIMIT, 0, null, false, 1, false, true, false, List.of());
    }

    public FindRequest fields(List<String> v) { return new FindRequest(selector, v, sort, limit, skip, bookmark, executionStats, r, conflicts, update, stable, useIndex); }
    public FindRequest sort(JsonNode v) { return new FindRequest(selector, fields, v, limit, skip, bookmark, executionStats, r, conflicts, update, stable, useIndex); }
    public FindRequest limit(int v) { return new FindRequest(selector, fields, sort, v, skip, bookmark, executionStats, r, conflicts, update, stable, useIndex); }
    public FindRequest skip(int v) { return new FindRequest(selector, fields, sort, limit, v, bookmark, executionStats, r, conflicts, update, stable, useIndex); }
    public FindRequest bookmark(String v) { return new FindRequest(selector, fields, sort, limit, skip, v, executionStats, r, conflicts, update, stable, useIndex); }
    public FindRequest executionStats(boolean v) { return new FindRequest(selector, fields, sort, limit, skip, bookmark, v, r, conflicts, update, stable, useIndex); }
    public FindRequest r(int v) { return new FindRequest(selector, fields, sort, limit, skip, bookmark, executionStats, v, conflicts, update, stable, useIndex); }
    public FindRequest conflicts(boolean v) { return new FindRequest(selector, fields, sort, limit, skip, bookmark, executionStats, r, v, update, stable, useIndex); }
    public FindRequest update(boolean v) { return new FindRequest(selector, fields, sort, limit, skip, bookmark, executionStats, r, conflicts, v, stable, useIndex); }
    public FindRequest stable(boolean v) { return new FindRequest(selector, fields, sort, limit, skip, bookmark, executionStats, r, conflicts, update, v, useIndex); }
    public FindRequest useIndex(List<String> v) { return new FindRequest(selector, fields, sort, limit, skip, bookmark, executionStats, r, conflicts, update, stable, v); }

    /** The sort in JSON, or an empty array when there is none. */
    public JsonNode sortOrEmpty() {
        return sort == null || sort.isNull() ? Json.MAPPER.createArrayNode() : sort;
    }
}
