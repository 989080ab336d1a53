package dev.arbor.server.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.core.json.Json;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

import java.nio.ByteBuffer;
import java.util.Locale;

/**
 * Errors Jetty answers itself, before a request reaches the {@link Router}: a URL or headers over
 * {@code max_http_header_size} (414, 431), a malformed request line (400), a stalled body. CouchDB clients parse
 * every error body as {@code {"error":..,"reason":..}}, so these get that shape instead of Jetty's HTML page;
 * the error token is the status phrase in CouchDB's style ({@code uri_too_long}, {@code bad_request}).
 */
public final class CouchErrorHandler extends ErrorHandler {

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                                    Callback callback) {
        String phrase = HttpStatus.getMessage(code);
        ObjectNode body = Json.object()
                .put("error", phrase.toLowerCase(Locale.ROOT).replace(' ', '_').replace("-", "_"))
                // A 5xx message is an exception's text: internals stay in the log, not in the body.
                .put("reason", code >= 500 || message == null || message.isBlank() ? phrase : message);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "must-revalidate");
        byte[] bytes = Json.bytes(body);
        response.write(true, ByteBuffer.wrap(bytes), callback);
    }
}
