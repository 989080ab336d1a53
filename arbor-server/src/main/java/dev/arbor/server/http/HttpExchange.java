package dev.arbor.server.http;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.core.error.ArborException;
import dev.arbor.core.json.Json;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.Locale;

/**
 * One HTTP request and its response, as the endpoints see them: the method, the split path, the
 * query, the body (size-limited; JSON read as CouchDB reads it) and ways to answer (a whole JSON
 * body, a streamed JSON body, raw bytes). Every answer carries CouchDB's usual headers
 * ({@code Cache-Control: must-revalidate}, {@code Content-Type: application/json}).
 *
 * <p>A HEAD request is answered like its GET with the body left out.
 *
 * <p>One thread at a time: the request's own (virtual) thread.
 */
public final class HttpExchange {
    static final String TOO_LARGE_REASON = "the request entity is too large";

    private final Request request;
    private final Response response;
    private final RequestPath path;
    private final QueryParams query;
    private final long maxBodyBytes;
    private final boolean head;
    private UserCtx user = UserCtx.ANONYMOUS;
    private CountingOutputStream body;
    private int status = 200;
    private InputStream requestBody;
    /** The most of an unread request body read and dropped to keep its connection open (see settleUnreadBody). */
    private static final long UNREAD_BODY_DRAIN_BYTES = 64 * 1024;
    private long fixedBytes;

    private final String serverHeader;
    private Target target = Target.NONE;

    HttpExchange(Request request, Response response, long maxBodyBytes, String serverHeader) {
        this.request = request;
        this.response = response;
        this.serverHeader = serverHeader;
        this.path = RequestPath.parse(request.getHttpURI().getPath());
        this.query = QueryParams.parse(request.getHttpURI().getQuery());
        this.maxBodyBytes = maxBodyBytes;
        this.head = "HEAD".equals(request.getMethod());
        setCommonHeaders();
    }

    private void setCommonHeaders() {
        setHeader("Server", serverHeader);
        setHeader("Cache-Control", "must-revalidate");
    }

    /**
     * What the path names once routed: a database, a document in it, an attachment of that document,
     * and the {@code _action} segment of an action route. Unnamed parts are null.
     */
    public record Target(String db, String docId, String attachment, String action) {
        static final Target NONE = new Target(null, null, null, null);
    }

    void target(Target target) {
        this.target = target;
    }

    /** The database the path names, decoded (it may contain {@code /}); null for server-level paths. */
    public String db() {
        return target.db();
    }

    /** The document id the path names, with {@code _design/} or {@code _local/} when it has one. */
    public String docId() {
        return target.docId();
    }

    /** The attachment name the path names (may contain {@code /}). */
    public String attachmentName() {
        return target.attachment();
    }

    // ---- the request ---------------------------------------------------------------------------

    /** The method; HEAD is reported as such (routes answer it with their GET handler). */
    public String method() {
        return request.getMethod();
    }

    public boolean isHead() {
        return head;
    }

    public RequestPath path() {
        return path;
    }

    public QueryParams query() {
        return query;
    }

    public String header(String name) {
        return request.getHeaders().get(name);
    }

    public UserCtx user() {
        return user;
    }

    void user(UserCtx user) {
        this.user = user;
    }

    /** The media type of the body without parameters, lower case; null when none was sent. */
    public String contentType() {
        String type = header("Content-Type");
        if (type == null) {
            return null;
        }
        int semicolon = type.indexOf(';');
        return (semicolon < 0 ? type : type.substring(0, semicolon)).strip().toLowerCase(Locale.ROOT);
    }

    /** CouchDB's check on endpoints that take only JSON: 415 {@code bad_content_type} otherwise. */
    public void requireJsonContentType() {
        if (!"application/json".equals(contentType())) {
            throw new HttpError(415, "bad_content_type", "Content-Type must be application/json");
        }
    }

    /**
     * The request body as a stream, limited to the configured size: a declared {@code Content-Length}
     * over the limit fails at once, a chunked body when the limit is crossed, with 413 {@code too_large}.
     */
    public InputStream body() {
        if (requestBody == null) {
            long declared = request.getLength();
            if (declared > maxBodyBytes) {
                throw tooLarge();
            }
            requestBody = new LimitedInputStream(Content.Source.asInputStream(request), maxBodyBytes);
        }
        return requestBody;
    }

    /**
     * The body parsed as JSON; malformed or empty input is 400 {@code bad_request} "invalid UTF-8 JSON", as in
     * CouchDB, followed by what is wrong ({@link Json#invalid}).
     */
    public JsonNode readJson() {
        try (InputStream in = body()) {
            return Json.parse(in);
        } catch (IOException e) {
            throw Json.invalid(e);
        }
    }

    /** The body as a JSON object; anything else is 400 {@code bad_request}. */
    public ObjectNode readJsonObject() {
        JsonNode node = readJson();
        if (!(node instanceof ObjectNode object)) {
            throw new ArborException.BadRequest("bad_request", "Request body must be a JSON object");
        }
        return object;
    }

    static ArborException tooLarge() {
        return new ArborException.TooLarge(TOO_LARGE_REASON);
    }

    /** {@code scheme://host[:port]} as the client addressed this server, for {@code Location} headers. */
    public String baseUrl() {
        var uri = request.getHttpURI();
        String host = header("Host");
        if (host == null) {
            host = uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "");
        }
        return uri.getScheme() + "://" + host;
    }

    /** The Jetty request, for handlers that need more (multipart bodies). */
    public Request jettyRequest() {
        return request;
    }

    // ---- the response --------------------------------------------------------------------------

    public void setHeader(String name, String value) {
        response.getHeaders().put(name, value);
    }

    public boolean isCommitted() {
        return response.isCommitted();
    }

    public int status() {
        return status;
    }

    public long bytesWritten() {
        return body == null ? 0 : body.count();
    }

    /** Answers with a whole JSON body (followed by a newline, as CouchDB sends it), with its length. */
    public void sendJson(int status, JsonNode json) {
        sendJsonBytes(status, Json.bytes(json));
    }

    /** Answers with JSON already encoded (as {@link #sendJson} would encode it), followed by a newline as CouchDB's are. */
    public void sendJsonBytes(int status, byte[] json) {
        byte[] withNewline = java.util.Arrays.copyOf(json, json.length + 1);
        withNewline[json.length] = '\n';
        sendBytes(status, "application/json", withNewline);
    }

    /** Answers with bytes of a given type and their length. */
    public void sendBytes(int status, String contentType, byte[] bytes) {
        settleUnreadBody();
        this.status = status;
        response.setStatus(status);
        setHeader("Content-Type", contentType);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
        try {
            if (head) {
                Content.Sink.write(response, true, ByteBuffer.allocate(0));
            } else {
                Content.Sink.write(response, true, ByteBuffer.wrap(bytes));
                fixedBytes += bytes.length;
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * A request body the handler never read (a request refused before its body mattered: 401, 403, 404) is read and
     * dropped before the answer when it is small, so the connection can carry the client's next request. A larger
     * or unsized one is left unread and the answer says {@code Connection: close}: without it the server would
     * close the connection after an answer that promised nothing, and a client that reuses it for its next request
     * finds it dead ("header parser received no bytes").
     */
    private void settleUnreadBody() {
        if (requestBody != null || response.isCommitted()) {
            return;
        }
        long declared = request.getLength();
        if (declared == 0 || declared < 0 && !request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING)) {
            return;
        }
        if (declared > 0 && declared <= UNREAD_BODY_DRAIN_BYTES) {
            try (InputStream unread = Content.Source.asInputStream(request)) {
                unread.transferTo(OutputStream.nullOutputStream());
                requestBody = InputStream.nullInputStream();
                return;
            } catch (IOException e) {
                // The client is gone or stalled: the connection cannot be reused either way.
            }
        }
        response.getHeaders().put(HttpHeader.CONNECTION, "close");
    }

    /** Answers with no body at all (304 Not Modified). */
    public void sendEmpty(int status) {
        settleUnreadBody();
        this.status = status;
        response.setStatus(status);
        try {
            Content.Sink.write(response, true, ByteBuffer.allocate(0));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * Starts a body of unknown length (sent chunked), for results written as they are read. The caller
     * writes and closes the stream; for HEAD the bytes go nowhere.
     */
    public OutputStream startBody(int status, String contentType) {
        settleUnreadBody();
        this.status = status;
        response.setStatus(status);
        setHeader("Content-Type", contentType);
        OutputStream sink = head ? OutputStream.nullOutputStream() : Content.Sink.asOutputStream(response);
        body = new CountingOutputStream(sink);
        return body;
    }

    /** Writes a JSON body as it is produced: {@code writer} gets a generator, the body ends with a newline. */
    public void streamJson(int status, JsonBodyWriter writer) throws IOException {
        OutputStream out = startBody(status, "application/json");
        try (JsonGenerator generator = Json.MAPPER.getFactory().createGenerator(out)) {
            writer.write(generator);
            generator.writeRaw('\n');
        }
    }

    /** Writes one JSON body to a generator; may throw once the body has begun, which aborts the response. */
    @FunctionalInterface
    public interface JsonBodyWriter {
        void write(JsonGenerator generator) throws IOException;
    }

    /** Total response body bytes, for the access log. */
    long responseBytes() {
        return fixedBytes + bytesWritten();
    }

    /**
     * Completes the response if the handler left it open (a streamed body it did not close, or no
     * answer at all, which is a bug reported as 500 by the caller's error path).
     */
    void finish() throws IOException {
        if (body != null) {
            body.close();
        } else if (!response.isCommitted()) {
            throw new IllegalStateException("handler for " + method() + " " + path.raw() + " sent no response");
        }
    }

    /** Drops whatever status and headers were set, for an error answer before anything was sent. */
    void resetForError() {
        response.reset();
        body = null;
        fixedBytes = 0;
        setCommonHeaders();
    }
}
