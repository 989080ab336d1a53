package dev.arbor.server.attachment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.arbor.Arbor;
import dev.arbor.api.Database;
import dev.arbor.api.GetOptions;
import dev.arbor.api.Storage;
import dev.arbor.core.error.ArborException;
import dev.arbor.core.json.Json;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.util.URIUtil;
import org.eclipse.jetty.util.thread.VirtualThreadPool;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A Jetty server in the test's JVM that routes only the attachment package's endpoints, over a real
 * RocksDB storage, until the server's own Router takes these routes. Paths are split on {@code /}
 * before each segment is decoded, and {@code _design/x} is one doc id, as the Router does.
 */
final class AttachmentTestServer implements AutoCloseable {
    private final Server server;
    final Storage storage;
    private final AttachmentEndpoints attachments = new AttachmentEndpoints();
    private final MultipartDocumentEndpoints documents = new MultipartDocumentEndpoints();

    AttachmentTestServer(Path dataDir) throws Exception {
        storage = Arbor.storage(dataDir);
        server = new Server(new VirtualThreadPool(1000));
        HttpConfiguration config = new HttpConfiguration();
        // Doc ids and attachment names may hold an encoded '/', which Jetty refuses by default.
        config.setUriCompliance(UriCompliance.DEFAULT.with("arbor", UriCompliance.Violation.AMBIGUOUS_PATH_SEPARATOR,
                UriCompliance.Violation.AMBIGUOUS_PATH_ENCODING));
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(config));
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                try {
                    route(request, response);
                    callback.succeeded();
                } catch (ArborException e) {
                    try {
                        HttpJson.write(response, e.status(), Json.object().put("error", e.error()).put("reason", e.reason()),
                                "HEAD".equals(request.getMethod()));
                        callback.succeeded();
                    } catch (Exception io) {
                        callback.failed(io);
                    }
                } catch (Throwable t) {
                    callback.failed(t);
                }
                return true;
            }
        });
        server.start();
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + ((ServerConnector) server.getConnectors()[0]).getLocalPort() + path);
    }

    private void route(Request request, Response response) throws Exception {
        String[] raw = request.getHttpURI().getPath().substring(1).split("/", -1);
        List<String> segments = new ArrayList<>(Arrays.stream(raw).map(URIUtil::decodePath).toList());
        Database db = storage.database(segments.removeFirst());
        String docId = segments.removeFirst();
        if (raw.length > 2 && raw[1].equals("_design")) {
            docId = docId + "/" + segments.removeFirst();
        }
        String method = request.getMethod();
        if (!segments.isEmpty()) {
            String name = AttachmentEndpoints.attachmentName(segments);
            switch (method) {
                case "GET", "HEAD" -> attachments.get(db, docId, name, request, response, method.equals("HEAD"));
                case "PUT" -> attachments.put(db, docId, name, request, response);
                case "DELETE" -> attachments.delete(db, docId, name, request, response);
                default -> throw new ArborException.BadRequest("method_not_allowed", "Only DELETE,GET,HEAD,PUT allowed");
            }
            return;
        }
        Fields query = Request.extractQueryParameters(request);
        if (method.equals("PUT") && MultipartDocumentEndpoints.isMultipartRelated(request.getHeaders().get(HttpHeader.CONTENT_TYPE))) {
            documents.put(db, docId, !"false".equals(query.getValue("new_edits")), request, response);
            return;
        }
        String accept = request.getHeaders().get(HttpHeader.ACCEPT);
        GetOptions options = GetOptions.DEFAULT
                .rev(query.getValue("rev"))
                .revs("true".equals(query.getValue("revs")))
                .attachments("true".equals(query.getValue("attachments")))
                .attsSince(stringList(query.getValue("atts_since")));
        String openRevs = query.getValue("open_revs");
        if (method.equals("GET") && openRevs != null && MultipartDocumentEndpoints.accepts(accept, "multipart/mixed")) {
            documents.getOpenRevs(db, docId, openRevs.equals("all") ? null : stringList(openRevs), options, response);
        } else if (method.equals("GET") && MultipartDocumentEndpoints.accepts(accept, "multipart/related")) {
            documents.get(db, docId, options, response);
        } else if (method.equals("GET")) {
            HttpJson.write(response, 200, db.get(docId, options), false);
        } else {
            throw new ArborException.BadRequest("method_not_allowed", "not routed by the test server");
        }
    }

    private static List<String> stringList(String json) {
        if (json == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (JsonNode node : (ArrayNode) Json.parse(json)) {
            out.add(node.asText());
        }
        return out;
    }

    @Override
    public void close() throws Exception {
        server.stop();
        storage.close();
    }
}
