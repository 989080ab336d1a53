package dev.arbor.server.endpoint;

import dev.arbor.api.Database;
import dev.arbor.api.DocResult;
import dev.arbor.api.GetOptions;
import dev.arbor.server.http.HttpExchange;

import java.util.List;

/**
 * The MIME multipart forms of document requests, which the attachments package implements
 * (CouchDB's replicator uses them for documents with attachments). {@link DocumentEndpoints} decides
 * when a request calls for them and hands it over whole; without an implementation those requests get
 * JSON (open_revs, documents) or 415 (a multipart PUT).
 */
public interface MultipartDocuments {

    /**
     * {@code PUT /{db}/{docid}} with {@code Content-Type: multipart/related}: the first part is the
     * document JSON, the following parts its {@code "follows": true} attachments. {@code docId} is the
     * id from the path (it wins over the body's). The caller answers with the result.
     */
    DocResult.Ok put(HttpExchange exchange, Database db, String docId, boolean newEdits) throws Exception;

    /**
     * {@code GET ...?open_revs=...} when the client asked for {@code multipart/mixed}: reads the revisions
     * ({@code revs} null for {@code all}) and answers the whole response.
     */
    void sendOpenRevs(HttpExchange exchange, Database db, String docId, List<String> revs, GetOptions options)
            throws Exception;

    /** {@code GET ...?attachments=true} when the client asked for {@code multipart/related}: reads and answers. */
    void sendDocument(HttpExchange exchange, Database db, String docId, GetOptions options) throws Exception;
}
