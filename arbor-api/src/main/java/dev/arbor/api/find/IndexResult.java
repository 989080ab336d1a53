package dev.arbor.api.find;

/**
 * The answer to creating an index: {@code {"result":"created"|"exists","id":"_design/..","name":..}}.
 *
 * @param created false when an identical index already stood under that name (nothing was written)
 * @param id      the design document's id, {@code _design/...}
 */
public record IndexResult(boolean created, String id, String name) {
    /** CouchDB's {@code result} member. */
    public String result() {
        return created ? "created" : "exists";
    }
}
