package dev.arbor.wire;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.api.AllDocsRow;
import dev.arbor.api.ChangeRow;
import dev.arbor.api.DbInfo;
import dev.arbor.api.DocResult;
import dev.arbor.core.error.ArborException;
import dev.arbor.core.json.Json;

/**
 * The JSON bodies CouchDB's HTTP API answers with, built from the {@code dev.arbor.api} values.
 * The HTTP server sends them and the CLI prints them; here in the wire module so every front end and
 * the remote client share one definition.
 *
 * <p>Sequences are written as {@link dev.arbor.api.Seq} holds them: Arbor's own as JSON numbers, as in
 * CouchDB 1.x and PouchDB; a peer's opaque string (CouchDB 3.x) as that same string.
 */
public final class CouchJson {
    private CouchJson() {}

    /** {@code {"ok":true}}: the answer to database create/delete and {@code _compact}. */
    public static ObjectNode ok() {
        return Json.object().put("ok", true);
    }

    /** {@code {"error":..,"reason":..}}, CouchDB's error body. */
    public static ObjectNode error(ArborException e) {
        return Json.object().put("error", e.error()).put("reason", e.reason());
    }

    /** A document write: {@code {"ok":true,"id":..,"rev":..}}, or {@code {"id":..,"error":..,"reason":..}} as in {@code _bulk_docs}. */
    public static ObjectNode docResult(DocResult result) {
        return switch (result) {
            case DocResult.Ok ok -> Json.object().put("ok", true).put("id", ok.id()).put("rev", ok.rev());
            case DocResult.Error error -> Json.object().put("id", error.id()).put("error", error.error())
                    .put("reason", error.reason());
        };
    }

    /** {@code GET /db}. */
    public static ObjectNode dbInfo(DbInfo info) {
        ObjectNode body = Json.object()
                .put("db_name", info.dbName())
                .put("doc_count", info.docCount())
                .put("doc_del_count", info.docDelCount());
        body.set("update_seq", info.updateSeq().toJson());
        body.put("purge_seq", info.purgeSeq())
                .put("compact_running", info.compactRunning());
        body.putObject("sizes")
                .put("file", info.sizeFile())
                .put("external", info.sizeExternal())
                .put("active", info.sizeActive());
        ObjectNode props = body.putObject("props");
        if (info.partitioned()) {
            props.put("partitioned", true);
        }
        // CouchDB 3.x always sends "0" here; clients compare it across requests to detect restarts.
        body.put("instance_start_time", "0");
        return body;
    }

    /**
     * One {@code _all_docs} row. With {@code include_docs}, a row without a body (a deleted doc in a
     * {@code keys} lookup) carries {@code "doc":null}, as CouchDB sends it; an unknown key's row has no doc.
     */
    public static ObjectNode allDocsRow(AllDocsRow row, boolean includeDocs) {
        if (row.error() != null) {
            return Json.object().put("key", row.key()).put("error", row.error());
        }
        ObjectNode body = Json.object().put("id", row.id()).put("key", row.key());
        ObjectNode value = body.putObject("value").put("rev", row.rev());
        if (row.deleted()) {
            value.put("deleted", true);
        }
        if (row.doc() != null) {
            body.set("doc", row.doc());
        } else if (includeDocs) {
            body.putNull("doc");
        }
        return body;
    }

    /** One {@code _changes} row: {@code {"seq","id","changes":[{"rev"}..],"deleted"?,"doc"?}}. */
    public static ObjectNode changeRow(ChangeRow row) {
        ObjectNode body = Json.object();
        body.set("seq", row.seq().toJson());
        body.put("id", row.id());
        ArrayNode changes = body.putArray("changes");
        row.changes().forEach(rev -> changes.addObject().put("rev", rev));
        if (row.deleted()) {
            body.put("deleted", true);
        }
        if (row.doc() != null) {
            body.set("doc", row.doc());
        }
        return body;
    }
}
