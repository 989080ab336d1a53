package dev.arbor.server.endpoint;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.api.Database;
import dev.arbor.api.DocResult;
import dev.arbor.api.OpenRev;
import dev.arbor.server.http.HttpExchange;

import java.util.List;

/**
 * The MIME multipart forms of document requests, which the attachments package implements
 * (CouchDB's replicator uses them for documents with attachments). {@link DocumentEndpoints} asks for
 * them only when the request calls for them; without an implementation those requests get JSON
 * (open_revs, documents) or 415 (a multipart PUT).
 */
public interface MultipartDocuments {

    /**
     * {@code PUT /{db}/{docid}} with {@code Content-Type: multipart/related}: the first part is the
     * document JSON, the following parts its {@code "follows": true} attachments. {@code docId} is the
     * id from the path (it wins over the body's), the rev already reconciled from {@code ?rev}/If-Match.
     */
    DocResult.Ok put(HttpExchange exchange, Database db, String docId, String rev, boolean newEdits) throws Exception;

    /** {@code GET ...?open_revs=...} when the client accepts {@code multipart/mixed}: answers the whole response. */
    void sendOpenRevs(HttpExchange exchange, List<OpenRev> revs) throws Exception;

    /** {@code GET ...?attachments=true} when the client accepts {@code multipart/related}: answers the whole response. */
    void sendDocument(HttpExchange exchange, ObjectNode doc) throws Exception;
}
