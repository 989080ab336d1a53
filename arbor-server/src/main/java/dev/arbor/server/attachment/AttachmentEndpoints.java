package dev.arbor.server.attachment;

import dev.arbor.api.AttachmentStream;
import dev.arbor.api.Database;
import dev.arbor.api.DocResult;
import dev.arbor.core.error.ArborException;
import dev.arbor.core.json.Json;
import dev.arbor.server.endpoint.DocumentEndpoints;
import dev.arbor.server.endpoint.ServerContext;
import dev.arbor.server.http.Access;
import dev.arbor.server.http.HttpError;
import dev.arbor.server.http.HttpExchange;
import dev.arbor.server.http.Route;
import dev.arbor.server.http.Router;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;

/**
 * {@code GET/HEAD/PUT/DELETE /{db}/{docid}/{attname}} (design docs too: the doc id is {@code _design/x}),
 * as CouchDB 3's {@code chttpd_db:db_attachment_req}. Data streams both ways: never a whole attachment
 * in memory. The {@link Router} names the attachment (every segment after the doc id, decoded, joined
 * by {@code /}, since CouchDB allows slashes in names).
 */
public final class AttachmentEndpoints {
    private final ServerContext context;

    public AttachmentEndpoints(ServerContext context) {
        this.context = context;
    }

    /** Takes the router's attachment route; writes need what writing the document needs. */
    public void register(Router router) {
        router.attachment(new Route()
                .get(Access.READ, this::get)
                .on("PUT", DocumentEndpoints.WRITE_ACCESS, this::put)
                .on("DELETE", DocumentEndpoints.WRITE_ACCESS, this::delete));
    }

    /** {@code GET} or {@code HEAD}; {@code ?rev=} reads an older revision's attachment. */
    private void get(HttpExchange exchange) throws IOException {
        Database db = context.database(exchange);
        String rev = exchange.query().string("rev");
        try (AttachmentStream att = db.getAttachment(exchange.docId(), exchange.attachmentName(), rev)) {
            String md5 = ContentMd5.base64Of(att.digest());
            String etag = "\"" + (md5 != null ? md5 : att.digest()) + "\"";
            exchange.setHeader("ETag", etag);
            exchange.setHeader("Accept-Ranges", "bytes");
            if (etag.equals(exchange.header("If-None-Match"))) {
                exchange.sendEmpty(304);
                return;
            }
            switch (RangeRequest.parse(exchange.header("Range"), att.length())) {
                case RangeRequest.Full full -> {
                    if (md5 != null && att.dataMd5()) {
                        exchange.setHeader("Content-MD5", md5);
                    }
                    exchange.setHeader("Content-Length", Long.toString(att.length()));
                    try (OutputStream out = exchange.startBody(200, att.contentType())) {
                        if (!exchange.isHead()) {
                            att.data().transferTo(out);
                        }
                    }
                }
                case RangeRequest.Single range -> {
                    exchange.setHeader("Content-Range", range.contentRange(att.length()));
                    exchange.setHeader("Content-Length", Long.toString(range.length()));
                    try (OutputStream out = exchange.startBody(206, att.contentType())) {
                        if (!exchange.isHead()) {
                            InputStream data = att.data();
                            data.skipNBytes(range.first());
                            copy(data, out, range.length());
                        }
                    }
                }
                case RangeRequest.Unsatisfiable unsatisfiable -> throw new HttpError(416,
                        "requested_range_not_satisfiable", "Requested range not satisfiable",
                        Map.of("Content-Range", "bytes */" + att.length()));
            }
        }
    }

    /** {@code PUT}: a new revision with this attachment added or replaced; 201 {@code {ok, id, rev}}. */
    private void put(HttpExchange exchange) {
        Database db = context.database(exchange);
        String rev = DocumentEndpoints.requestedRev(exchange, null);
        String contentType = exchange.header("Content-Type");
        InputStream body = ContentMd5.verifying(exchange.body(), exchange.header("Content-MD5"));
        DocResult.Ok result;
        try {
            result = db.putAttachment(exchange.docId(), rev, exchange.attachmentName(),
                    contentType == null ? "application/octet-stream" : contentType, body);
        } catch (ArborException.BadRequest e) {
            if (e.getCause() instanceof ContentMd5.MismatchException) {
                throw ContentMd5.mismatch();
            }
            throw e;
        }
        exchange.setHeader("Location", exchange.baseUrl() + exchange.path().raw());
        sendOk(exchange, 201, result);
    }

    /** {@code DELETE}: a new revision without this attachment; 200 {@code {ok, id, rev}}. */
    private void delete(HttpExchange exchange) {
        Database db = context.database(exchange);
        DocResult.Ok result = db.removeAttachment(exchange.docId(), DocumentEndpoints.requestedRev(exchange, null),
                exchange.attachmentName());
        sendOk(exchange, 200, result);
    }

    private static void sendOk(HttpExchange exchange, int status, DocResult.Ok result) {
        exchange.setHeader("ETag", "\"" + result.rev() + "\"");
        exchange.sendJson(status, Json.object().put("ok", true).put("id", result.id()).put("rev", result.rev()));
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
