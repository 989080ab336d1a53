package dev.arbor.server.attachment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.api.DocResult;
import dev.arbor.core.json.Json;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Response;

import java.io.IOException;
import java.io.OutputStream;

/** The small JSON answers of the attachment endpoints. */
final class HttpJson {
    private HttpJson() {}

    static ObjectNode ok(DocResult.Ok result) {
        return Json.object().put("ok", true).put("id", result.id()).put("rev", result.rev());
    }

    static void write(Response response, int status, JsonNode body, boolean head) throws IOException {
        byte[] bytes = Json.bytes(body);
        byte[] line = new byte[bytes.length + 1];
        System.arraycopy(bytes, 0, line, 0, bytes.length);
        line[bytes.length] = '\n';
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "must-revalidate");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, line.length);
        try (OutputStream out = Content.Sink.asOutputStream(response)) {
            if (!head) {
                out.write(line);
            }
        }
    }
}
