package dev.arbor.api.find;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;

/**
 * One index as {@code GET /{db}/_index} lists it.
 *
 * @param ddoc                  {@code _design/...}; null for the built-in {@code _all_docs} index
 * @param type                  {@code "json"}, or {@code "special"} for {@code _all_docs}
 * @param fields                indexed fields in order ({@code ["_id"]} for {@code _all_docs})
 * @param partialFilterSelector null unless the index is partial
 */
public record IndexInfo(String ddoc, String name, String type, List<String> fields, JsonNode partialFilterSelector,
                        boolean partitioned) {
    public static final IndexInfo ALL_DOCS = new IndexInfo(null, "_all_docs", "special", List.of("_id"), null, false);

    public IndexInfo {
        fields = List.copyOf(fields);
    }

    public boolean isAllDocs() {
        return ddoc == null;
    }
}
