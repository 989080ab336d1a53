package dev.arbor.api.find;

import java.util.List;

/**
 * What {@code POST /{db}/_index/_bulk_delete} did, per design document asked for.
 *
 * @param deleted the design documents (full {@code _design/...} ids) whose index was deleted
 * @param failed  the others, each with an error name: CouchDB's {@code not_found} when it holds no Mango index,
 *                {@code multiple_indexes} when it holds several (none is deleted), or the delete's error
 */
public record IndexBulkDeleteResult(List<String> deleted, List<Failure> failed) {
    public IndexBulkDeleteResult {
        deleted = List.copyOf(deleted);
        failed = List.copyOf(failed);
    }

    public record Failure(String ddoc, String error) {}
}
