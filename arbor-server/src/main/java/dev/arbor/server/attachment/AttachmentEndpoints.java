package dev.arbor.server.attachment;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.api.AttachmentStream;
import dev.arbor.api.Database;
import dev.arbor.api.DocResult;
import dev.arbor.core.error.ArborException;
import dev.arbor.core.json.Json;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;

/**
 * {@code GET/HEAD/PUT/DELETE /{db}/{docid}/{attname}} (design docs too: the doc id is {@code _design/x}),
 * as CouchDB 3's {@code chttpd_db:db_attachment_req}. Data streams both ways: never a whole attachment
 * in memory.
 *
 * <p>Each method writes the whole response or throws an {@link ArborException} before writing anything,
 * for the router to answer with CouchDB's error body. It does not complete Jetty's callback.
 */
public final class AttachmentEndpoints {

    /** The attachment name of a path: every decoded segment after the doc id, joined by {@code /} (CouchDB allows slashes). */
    public static String attachmentName(List<String> segmentsAfterDocId) {
        return String.join("/", segmentsAfterDocId);
    }

    /** {@code GET} (or {@code HEAD} when {@code head}) of an attachment; {@code ?rev=} reads an older revision's. */
    public void get(Database db, String docId, String name, Request request, Response response, boolean head)
            throws IOException {
        String rev = Request.extractQueryParameters(request).getValue("rev");
        try (AttachmentStream att = db.getAttachment(docId, name, rev)) {
            String md5 = ContentMd5.base64Of(att.digest());
            String etag = "\"" + (md5 != null ? md5 : att.digest()) + "\"";
            HttpFields.Mutable headers = response.getHeaders();
            headers.put(HttpHeader.ETAG, etag);
            headers.put(HttpHeader.CACHE_CONTROL, "must-revalidate");
            headers.put(HttpHeader.ACCEPT_RANGES, "bytes");
            if (etag.equals(request.getHeaders().get(HttpHeader.IF_NONE_MATCH))) {
                response.setStatus(304);
                Content.Sink.asOutputStream(response).close();
                return;
            }
            headers.put(HttpHeader.CONTENT_TYPE, att.contentType());
            switch (RangeRequest.parse(request.getHeaders().get(HttpHeader.RANGE), att.length())) {
                case RangeRequest.Full full -> {
                    response.setStatus(200);
                    if (md5 != null) {
                        headers.put("Content-MD5", md5);
                    }
                    headers.put(HttpHeader.CONTENT_LENGTH, att.length());
                    try (OutputStream out = Content.Sink.asOutputStream(response)) {
                        if (!head) {
                            att.data().transferTo(out);
                        }
                    }
                }
                case RangeRequest.Single range -> {
                    response.setStatus(206);
                    headers.put(HttpHeader.CONTENT_RANGE, range.contentRange(att.length()));
                    headers.put(HttpHeader.CONTENT_LENGTH, range.length());
                    try (OutputStream out = Content.Sink.asOutputStream(response)) {
                        if (!head) {
                            InputStream data = att.data();
                            data.skipNBytes(range.first());
                            copy(data, out, range.length());
                        }
                    }
                }
                case RangeRequest.Unsatisfiable unsatisfiable -> {
                    headers.put(HttpHeader.CONTENT_RANGE, "bytes */" + att.length());
                    ObjectNode error = Json.object()
                            .put("error", "requested_range_not_satisfiable")
                            .put("reason", "Requested range not satisfiable");
                    HttpJson.write(response, 416, error, head);
                }
            }
        }
    }

    /** {@code PUT}: a new revision with this attachment added or replaced; 201 {@code {ok, id, rev}}. */
    public void put(Database db, String docId, String name, Request request, Response response) throws IOException {
        String rev = requestedRev(request);
        String contentType = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
        InputStream body = ContentMd5.verifying(Request.asInputStream(request), request.getHeaders().get("Content-MD5"));
        DocResult.Ok result;
        try {
            result = db.putAttachment(docId, rev, name, contentType == null ? "application/octet-stream" : contentType, body);
        } catch (ArborException.BadRequest e) {
            if (e.getCause() instanceof ContentMd5.MismatchException) {
                throw ContentMd5.mismatch();
            }
            throw e;
        }
        response.getHeaders().put(HttpHeader.LOCATION, request.getHttpURI().asString());
        response.getHeaders().put(HttpHeader.ETAG, "\"" + result.rev() + "\"");
        HttpJson.write(response, 201, HttpJson.ok(result), false);
    }

    /** {@code DELETE}: a new revision without this attachment; 200 {@code {ok, id, rev}}. */
    public void delete(Database db, String docId, String name, Request request, Response response) throws IOException {
        DocResult.Ok result = db.removeAttachment(docId, requestedRev(request), name);
        response.getHeaders().put(HttpHeader.ETAG, "\"" + result.rev() + "\"");
        HttpJson.write(response, 200, HttpJson.ok(result), false);
    }

    /**
     * The revision an edit names: {@code ?rev=} or {@code If-Match}; both must agree
     * (CouchDB's {@code extract_header_rev}).
     */
    static String requestedRev(Request request) {
        String query = Request.extractQueryParameters(request).getValue("rev");
        String ifMatch = request.getHeaders().get(HttpHeader.IF_MATCH);
        String header = ifMatch == null ? null : ifMatch.strip().replaceAll("^\"|\"$", "");
        if (query != null && header != null && !query.equals(header)) {
            throw new ArborException.BadRequest("bad_request", "Document rev and etag have different values");
        }
        return query != null ? query : header;
    }

    private static void copy(InputStream in, OutputStream out, long count) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        long left = count;
        while (left > 0) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (n < 0) {
                throw new IOException("attachment data ended " + left + " bytes early");
            }
            out.write(buffer, 0, n);
            left -= n;
        }
    }
}
