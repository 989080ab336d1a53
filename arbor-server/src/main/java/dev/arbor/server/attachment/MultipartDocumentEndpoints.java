package dev.arbor.server.attachment;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.api.Database;
import dev.arbor.api.DocResult;
import dev.arbor.api.GetOptions;
import dev.arbor.api.OpenRev;
import dev.arbor.core.error.ArborException;
import dev.arbor.server.endpoint.DocumentEndpoints;
import dev.arbor.server.endpoint.MultipartDocuments;
import dev.arbor.server.http.HttpExchange;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

/**
 * The multipart forms of the document endpoints, as CouchDB's replicator uses them:
 * {@code PUT /{db}/{docid}} with a {@code multipart/related} body, {@code GET /{db}/{docid}?open_revs=...}
 * answered as {@code multipart/mixed}, and {@code GET /{db}/{docid}?attachments=true} answered as
 * {@code multipart/related}. {@link DocumentEndpoints} decides from the request's {@code Content-Type}
 * and {@code Accept} when a request takes this form.
 */
public final class MultipartDocumentEndpoints implements MultipartDocuments {
    /**
     * Room in the JSON part beyond {@code max_document_size} for what CouchDB does not count towards it
     * ({@code couch_doc:from_json_obj_validate} measures the body without its {@code _}-members): {@code _revisions}
     * (about 35 bytes per revision, 1,000 by default) and one {@code _attachments} stub per attachment (about 120
     * bytes each, so thousands fit).
     */
    public static final int STUB_MARGIN_BYTES = 1 << 20;

    /** The cap for CouchDB's default {@code max_document_size} (8,000,000). */
    public static final int DEFAULT_MAX_JSON_BYTES = maxJsonBytesFor(8_000_000);

    /**
     * Bounds the memory one request may take before the engine measures the document: larger parts are refused
     * unread. The engine's own {@code max_document_size} check stays the exact one.
     */
    private final int maxJsonBytes;

    public MultipartDocumentEndpoints(int maxJsonBytes) {
        this.maxJsonBytes = maxJsonBytes;
    }

    public MultipartDocumentEndpoints() {
        this(DEFAULT_MAX_JSON_BYTES);
    }

    /** The JSON part cap for a {@code max_document_size}: the limit plus {@link #STUB_MARGIN_BYTES}, at most what an array holds. */
    public static int maxJsonBytesFor(long maxDocumentSize) {
        // infinity is Long.MAX_VALUE: clamp before adding, or the sum wraps negative.
        return (int) Math.min(Integer.MAX_VALUE - 16L, Math.min(maxDocumentSize, Integer.MAX_VALUE) + STUB_MARGIN_BYTES);
    }

    /**
     * The JSON part, then each {@code "follows": true} attachment streamed into the engine. The id in the
     * path wins over the body's; the revision is reconciled from {@code ?rev}, {@code If-Match} and the body
     * as for a JSON PUT.
     */
    @Override
    public DocResult.Ok put(HttpExchange exchange, Database db, String docId, boolean newEdits) {
        try (MultipartDocumentReader body = openWithinCap(exchange, docId, !newEdits)) {
            ObjectNode doc = body.doc();
            doc.put("_id", docId);
            String rev = DocumentEndpoints.requestedRev(exchange, doc.get("_rev"));
            if (rev != null) {
                doc.put("_rev", rev);
            }
            return db.putWithAttachments(doc, newEdits, body.following());
        }
    }

    /** Reads the JSON part; one over the cap is over {@code max_document_size} too, so CouchDB's error for that. */
    private MultipartDocumentReader openWithinCap(HttpExchange exchange, String docId, boolean replicated) {
        try {
            return MultipartDocumentReader.open(exchange.body(), exchange.header("Content-Type"), maxJsonBytes, replicated);
        } catch (ArborException.TooLarge e) {
            throw ArborException.TooLarge.document(docId);
        }
    }

    /**
     * Every revision with all its attachments following (CouchDB always adds {@code attachments} here),
     * minus those the client has by {@code atts_since}.
     */
    @Override
    public void sendOpenRevs(HttpExchange exchange, Database db, String docId, List<String> revs, GetOptions options)
            throws IOException {
        List<OpenRev> found = db.getOpenRevs(docId, revs, forFollowing(options));
        String boundary = MultipartWriter.newBoundary();
        try (OutputStream out = exchange.startBody(200, MultipartWriter.contentType("mixed", boundary))) {
            DocumentMultipart.writeOpenRevs(out, db, found, options.attsSince(), options.revs(), boundary);
        }
    }

    /** The JSON part, then each attachment the client lacks; plain JSON (no base64) when nothing follows. */
    @Override
    public void sendDocument(HttpExchange exchange, Database db, String docId, GetOptions options) throws IOException {
        ObjectNode doc = db.get(docId, forFollowing(options));
        List<String> following = DocumentMultipart.markFollowing(doc, options.attsSince());
        if (!options.revs()) {
            doc.remove("_revisions");
        }
        String boundary = MultipartWriter.newBoundary();
        exchange.setHeader("ETag", "\"" + doc.path("_rev").asText() + "\"");
        try (OutputStream out = exchange.startBody(200, DocumentMultipart.contentType(following, boundary))) {
            DocumentMultipart.writeDocument(out, db, doc, following, boundary);
        }
    }

    /** Stubs from the engine (never inline base64), with the ancestry that atts_since is judged by. */
    private static GetOptions forFollowing(GetOptions options) {
        return options.revs(true).attachments(false).attsSince(List.of());
    }
}
