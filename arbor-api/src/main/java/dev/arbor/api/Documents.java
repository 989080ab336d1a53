package dev.arbor.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.core.json.Json;
import java.io.InputStream;
import java.util.List;
import java.util.Map;

/**
 * The documents of a database: reads by id and revision, edits, {@code _bulk_docs}, {@code _all_docs}, and the
 * two reads a replicator makes ({@code _revs_diff}, {@code _bulk_get}). Every revision tree lives behind this facet;
 * the others (changes, attachments, queries) read what it wrote.
 */
public interface Documents {

    /** The winning revision of {@code id}, as {@code {_id, _rev, ...body}}; {@code not_found} (missing or deleted) otherwise. */
    default ObjectNode get(String id) {
        return get(id, GetOptions.DEFAULT);
    }

    /** {@code GET /db/id} with CouchDB's options (rev, revs, revs_info, conflicts, latest, attachments, ...). */
    ObjectNode get(String id, GetOptions options);

    /**
     * {@link #get(String, GetOptions)} as the JSON bytes of that document, for a caller that sends them on (the
     * HTTP server). A database storing bodies as JSON can splice the stored bytes in without building the tree.
     */
    default DocumentJson getJson(String id, GetOptions options) {
        ObjectNode doc = get(id, options);
        return new DocumentJson(doc.path("_rev").asText(), Json.bytes(doc));
    }

    /**
     * {@code GET /db/id?open_revs=...}: the named revisions ({@code revs}), or every leaf when
     * {@code revs} is null ({@code open_revs=all}). Each entry is found or missing.
     */
    List<OpenRev> getOpenRevs(String id, List<String> revs, GetOptions options);

    /** Creates or updates one document; {@code _id} is required ({@link #post} generates one). Throws on conflict. */
    DocResult.Ok put(ObjectNode doc);

    /** Creates a document with a generated id (a random UUID as 32 hex digits, as CouchDB's default). */
    DocResult.Ok post(ObjectNode doc);

    /**
     * A document whose attachments marked {@code "follows": true} arrive as streams, as in CouchDB's
     * {@code multipart/related} PUT (the replicator's way for large attachments). {@code following}
     * maps attachment name to its data, read once, in the order of {@code _attachments}; it is never held
     * whole. With {@code newEdits} false the doc carries its {@code _rev} and {@code _revisions} as in
     * {@link #bulkDocs(List, boolean)}.
     */
    DocResult.Ok putWithAttachments(ObjectNode doc, boolean newEdits, Map<String, InputStream> following);

    /** Deletes by writing a tombstone revision on top of {@code rev}. */
    DocResult.Ok remove(String id, String rev);

    /**
     * {@code POST /db/_bulk_docs}. With {@code newEdits} true each doc is an edit of its {@code _rev}
     * (a stale or missing rev gives that doc a {@code conflict} result, the others still apply); with
     * {@code newEdits} false each doc carries its revision and {@code _revisions} ancestry and is merged
     * into the tree as is, never conflicting (the replicator's mode). All accepted docs commit together.
     * Results are in request order; with {@code newEdits} false only failures are reported, as CouchDB does.
     */
    List<DocResult> bulkDocs(List<ObjectNode> docs, boolean newEdits);

    default List<DocResult> bulkDocs(List<ObjectNode> docs) {
        return bulkDocs(docs, true);
    }

    /** {@code _all_docs}, streamed: {@code sink.begin} once, then each row in order. */
    void allDocs(AllDocsOptions options, AllDocsSink sink);

    default AllDocsResult allDocs(AllDocsOptions options) {
        var collector = new AllDocsResult.Collector();
        allDocs(options, collector);
        return collector.result();
    }

    /** {@code _revs_diff}: for each doc id, which of the given revisions this database lacks. */
    Map<String, RevsDiff> revsDiff(Map<String, List<String>> revs);

    /** {@code _bulk_get}: each requested doc (at a rev, or its winner), optionally with {@code _revisions}. */
    List<BulkGetResult> bulkGet(List<BulkGetRequest> requests, GetOptions options);
}
