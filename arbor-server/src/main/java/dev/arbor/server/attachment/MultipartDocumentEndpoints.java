package dev.arbor.server.attachment;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.api.Database;
import dev.arbor.api.DocResult;
import dev.arbor.api.GetOptions;
import dev.arbor.api.OpenRev;
import dev.arbor.core.error.ArborException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Locale;

/**
 * The multipart forms of the document endpoints, as CouchDB's replicator uses them:
 * {@code PUT /{db}/{docid}} with a {@code multipart/related} body, {@code GET /{db}/{docid}?open_revs=...}
 * answered as {@code multipart/mixed}, and {@code GET /{db}/{docid}?attachments=true} answered as
 * {@code multipart/related}. The document endpoints hand a request here when
 * {@link #isMultipartRelated} (PUT) or {@link #accepts} (GET) says so.
 */
public final class MultipartDocumentEndpoints {
    /** CouchDB's default {@code max_document_size}. */
    public static final int DEFAULT_MAX_JSON_BYTES = 8_000_000;

    private final int maxJsonBytes;

    public MultipartDocumentEndpoints(int maxJsonBytes) {
        this.maxJsonBytes = maxJsonBytes;
    }

    public MultipartDocumentEndpoints() {
        this(DEFAULT_MAX_JSON_BYTES);
    }

    /** Whether a request body is {@code multipart/related} (CouchDB matches the prefix {@code multipart/related;}). */
    public static boolean isMultipartRelated(String contentType) {
        return contentType != null && contentType.strip().toLowerCase(Locale.ROOT).startsWith("multipart/related");
    }

    /**
     * Whether the {@code Accept} header names {@code type} itself. CouchDB checks for the exact type
     * among the listed ones (no wildcards), so {@code *}{@code /*} and a missing header get JSON.
     */
    public static boolean accepts(String acceptHeader, String type) {
        if (acceptHeader == null) {
            return false;
        }
        for (String item : acceptHeader.split(",")) {
            int semicolon = item.indexOf(';');
            String media = (semicolon < 0 ? item : item.substring(0, semicolon)).strip();
            if (media.equalsIgnoreCase(type)) {
                return true;
            }
        }
        return false;
    }

    /**
     * {@code PUT /{db}/{docid}} with a {@code multipart/related} body: 201 {@code {ok, id, rev}}. The id in
     * the path wins over the body's; with {@code newEdits} the revision may also come as {@code ?rev=}
     * or {@code If-Match}.
     */
    public void put(Database db, String docId, boolean newEdits, Request request, Response response) throws IOException {
        DocResult.Ok result;
        try (MultipartDocumentReader body = MultipartDocumentReader.open(Request.asInputStream(request),
                request.getHeaders().get(HttpHeader.CONTENT_TYPE), maxJsonBytes)) {
            ObjectNode doc = body.doc();
            doc.put("_id", docId);
            if (newEdits) {
                String rev = AttachmentEndpoints.requestedRev(request);
                String bodyRev = doc.path("_rev").asText(null);
                if (rev != null && bodyRev != null && !rev.equals(bodyRev)) {
                    throw new ArborException.BadRequest("bad_request", "Document rev and etag have different values");
                }
                if (rev != null) {
                    doc.put("_rev", rev);
                }
            }
            result = db.putWithAttachments(doc, newEdits, body.following());
        }
        response.getHeaders().put(HttpHeader.LOCATION, request.getHttpURI().asString());
        response.getHeaders().put(HttpHeader.ETAG, "\"" + result.rev() + "\"");
        HttpJson.write(response, 201, HttpJson.ok(result), false);
    }

    /**
     * {@code GET /{db}/{docid}?open_revs=...} with {@code Accept: multipart/mixed}: every revision with all
     * its attachments following (CouchDB always adds {@code attachments} here), minus those the client has
     * by {@code atts_since}.
     *
     * @param revs the requested revisions, or null for {@code open_revs=all}
     */
    public void getOpenRevs(Database db, String docId, List<String> revs, GetOptions options, Response response)
            throws IOException {
        List<OpenRev> found = db.getOpenRevs(docId, revs, forFollowing(options));
        String boundary = MultipartWriter.newBoundary();
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, MultipartWriter.contentType("mixed", boundary));
        try (OutputStream out = Content.Sink.asOutputStream(response)) {
            DocumentMultipart.writeOpenRevs(out, db, found, options.attsSince(), options.revs(), boundary);
        }
    }

    /**
     * {@code GET /{db}/{docid}?attachments=true} (or {@code atts_since}) with {@code Accept: multipart/related}:
     * the JSON part, then each attachment the client lacks. Plain JSON (no base64) when nothing follows.
     */
    public void get(Database db, String docId, GetOptions options, Response response) throws IOException {
        ObjectNode doc = db.get(docId, forFollowing(options));
        List<String> following = DocumentMultipart.markFollowing(doc, options.attsSince());
        if (!options.revs()) {
            doc.remove("_revisions");
        }
        String boundary = MultipartWriter.newBoundary();
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, DocumentMultipart.contentType(following, boundary));
        response.getHeaders().put(HttpHeader.ETAG, "\"" + doc.path("_rev").asText() + "\"");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "must-revalidate");
        try (OutputStream out = Content.Sink.asOutputStream(response)) {
            DocumentMultipart.writeDocument(out, db, doc, following, boundary);
        }
    }

    /** Stubs from the engine (never inline base64), with the ancestry that atts_since is judged by. */
    private static GetOptions forFollowing(GetOptions options) {
        return options.revs(true).attachments(false).attsSince(List.of());
    }
}
