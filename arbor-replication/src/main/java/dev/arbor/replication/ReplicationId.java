package dev.arbor.replication;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.api.ChangesOptions;
import dev.arbor.api.Database;
import dev.arbor.core.error.ArborException;
import dev.arbor.core.json.Json;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.TreeMap;

/**
 * The identity of a replication, made as CouchDB's {@code couch_replicator_ids} makes it: an MD5 (hex)
 * of the source, the target and whatever selects documents (doc ids; a design-doc filter's code, or
 * {@code _view}, with the query params; selector; here also the Java filter's name), plus an extension naming {@code +continuous} and
 * {@code +create_target}. Checkpoints live in {@code _local/<base>} on both sides, so a one-shot and a
 * continuous replication of the same pair share them, as in CouchDB.
 *
 * <p>CouchDB hashes Erlang's term encoding of a list that starts with the server's UUID; Arbor has no
 * server identity in an embedded process and hashes a canonical JSON array instead, so the ids differ
 * from CouchDB's (they only have to be stable, and equal on both ends of one replication).
 *
 * <p>A database identifies itself by {@link Database#name()}: the name of a local database, the URL of
 * a remote one (without credentials). Two local databases of the same name in different storages thus
 * share an id; that costs at most a replication starting from 0, never a wrong resume, because a
 * checkpoint is only used when both sides hold a common session.
 */
public record ReplicationId(String base, String extension) {

    /** The id of a replication from {@code source} to {@code target}; reads a design-doc filter's code from the source. */
    public static ReplicationId of(Database source, Database target, ReplicationOptions options) {
        return of(source.name(), target.name(), filterCode(source, options), options);
    }

    /**
     * The id from each end's identity ({@link Database#name()}) and, for a design-doc filter, the filter
     * function's code as {@link #filterCode} reads it (null without one).
     */
    public static ReplicationId of(String sourceIdentity, String targetIdentity, String filterCode, ReplicationOptions options) {
        ArrayNode parts = Json.MAPPER.createArrayNode();
        parts.add(sourceIdentity);
        parts.add(targetIdentity);
        ObjectNode selection = parts.addObject();
        if (options.docIds() != null) {
            options.docIds().forEach(selection.putArray("doc_ids")::add);
        }
        if (options.filter() != null) {
            // As couch_replicator_ids: a view filter by its name, a design-doc filter by its code (not its
            // name), so editing the function starts a fresh checkpoint; both with their query params.
            if (isViewFilter(options.filter())) {
                selection.put("filter", options.filter());
            } else {
                if (filterCode == null) {
                    throw new IllegalArgumentException("a design-doc filter's code is part of the replication id");
                }
                selection.put("filter_code", filterCode);
            }
            ObjectNode params = selection.putObject("query_params");
            if (options.queryParams() != null) {
                new TreeMap<>(options.queryParams()).forEach(params::put);
            }
        }
        if (options.selector() != null) {
            selection.set("selector", options.selector());
        }
        if (options.javaFilter() != null) {
            selection.put("java_filter", options.javaFilter().name());
        }
        String extension = (options.continuous() ? "+continuous" : "") + (options.createTarget() ? "+create_target" : "");
        return new ReplicationId(md5Hex(Json.text(parts)), extension);
    }

    /**
     * The code of the options' design-doc filter ({@code filters.<name>} of {@code _design/<ddoc>} in the
     * source), without surrounding whitespace, as CouchDB's couch_replicator_filters:fetch reads it; null
     * when the options name none. CouchDB splits {@code ddoc/name} at the first slash.
     */
    public static String filterCode(Database source, ReplicationOptions options) {
        String filter = options.filter();
        if (filter == null || isViewFilter(filter)) {
            return null;
        }
        int slash = filter.indexOf('/');
        if (slash < 0) {
            throw new ArborException.BadRequest("bad_request", "Invalid filter. Must match `ddocname/filtername`.");
        }
        String ddocId = "_design/" + filter.substring(0, slash);
        ObjectNode ddoc;
        try {
            ddoc = source.get(ddocId);
        } catch (ArborException.NotFound e) {
            throw new ArborException.NotFound("Couldn't open document `" + ddocId + "` from source database `"
                    + source.name() + "`: " + e.reason());
        }
        JsonNode code = ddoc.path("filters").path(filter.substring(slash + 1));
        if (!code.isTextual()) {
            throw new ArborException.NotFound("Couldn't parse filter code from document " + ddocId + " on `"
                    + source.name() + "`: no filter `" + filter.substring(slash + 1) + "`");
        }
        return code.textValue().strip();
    }

    private static boolean isViewFilter(String filter) {
        return filter.equals(ChangesOptions.VIEW_FILTER);
    }
    /** The id of the checkpoint document on both sides. */
    public String checkpointDocId() {
        return "_local/" + base;
    }

    @Override
    public String toString() {
        return base + extension;
    }

    private static String md5Hex(String text) {
        try {
            MessageDigest md5 = MessageDigest.getInstance("MD5");
            return HexFormat.of().formatHex(md5.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has MD5", e);
        }
    }
}
