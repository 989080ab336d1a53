package dev.arbor.server.partition;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.api.AllDocsOptions;
import dev.arbor.api.Partition;
import dev.arbor.api.PartitionInfo;
import dev.arbor.core.error.ArborException;
import dev.arbor.core.json.Json;
import dev.arbor.server.endpoint.AllDocsEndpoints;
import dev.arbor.server.endpoint.ServerContext;
import dev.arbor.server.http.Access;
import dev.arbor.server.http.HttpError;
import dev.arbor.server.http.HttpExchange;
import dev.arbor.server.http.RequestPath;
import dev.arbor.server.http.Route;
import dev.arbor.server.http.Router;
import dev.arbor.server.view.ViewEndpoints;
import dev.arbor.wire.AllDocsJsonWriter;
import dev.arbor.wire.find.FindJson;

import java.io.IOException;

/**
 * {@code /{db}/_partition/{p}} (info), and {@code _all_docs}, {@code _find}, {@code _explain} and
 * {@code _design/{ddoc}/_view/{view}} (GET and POST) under it, with
 * the routing and errors of CouchDB's {@code chttpd_db:handle_partition_req}: the partition name is checked
 * first, then that the database is partitioned; an action other than those is 404.
 */
public final class PartitionEndpoints {
    private final ServerContext context;

    public PartitionEndpoints(ServerContext context) {
        this.context = context;
    }

    public void register(Router router) {
        router.databaseAction("_partition", new Route()
                .get(Access.READ, this::handle)
                .post(Access.READ, this::handle));
    }

    private void handle(HttpExchange exchange) throws IOException {
        RequestPath path = exchange.path();
        if (path.size() == 2) {
            throw new ArborException.BadRequest("bad_request", "invalid_partition_req");
        }
        String name = path.segment(2);
        boolean post = exchange.method().equals("POST");
        if (path.size() == 3) {
            if (post && name.startsWith("_")) {
                throw new ArborException.BadRequest("illegal_partition", "Partition must not start with an underscore");
            }
            if (post) {
                throw new HttpError(405, "method_not_allowed", "Only GET allowed", java.util.Map.of("Allow", "GET"));
            }
            info(exchange, partition(exchange, name));
            return;
        }
        Partition partition = partition(exchange, name);
        if (path.size() == 7 && path.raw(3).equals("_design") && path.raw(5).equals("_view")) {
            String ddoc = "_design/" + path.segment(4);
            String view = path.segment(6);
            ViewEndpoints.answer(exchange, post, (query, sink) -> partition.query(ddoc, view, query, sink));
            return;
        }
        String action = path.size() == 4 ? path.raw(3) : "";
        switch (action) {
            case "_all_docs" -> allDocs(exchange, partition);
            case "_find" -> {
                requirePost(exchange, post);
                exchange.requireJsonContentType();
                exchange.sendJson(200, FindJson.result(partition.find(FindJson.request(exchange.readJson()))));
            }
            case "_explain" -> {
                requirePost(exchange, post);
                exchange.requireJsonContentType();
                exchange.sendJson(200, FindJson.explain(partition.explain(FindJson.request(exchange.readJson()))));
            }
            default -> throw new ArborException.NotFound("missing");
        }
    }

    private Partition partition(HttpExchange exchange, String name) {
        return context.database(exchange).partition(name);
    }

    private static void requirePost(HttpExchange exchange, boolean post) {
        if (!post) {
            throw new HttpError(405, "method_not_allowed", "Only POST allowed", java.util.Map.of("Allow", "POST"));
        }
    }

    private static void info(HttpExchange exchange, Partition partition) {
        PartitionInfo info = partition.info();
        ObjectNode body = Json.object()
                .put("db_name", info.dbName())
                .put("doc_count", info.docCount())
                .put("doc_del_count", info.docDelCount())
                .put("partition", info.partition());
        body.putObject("sizes").put("active", info.sizeActive()).put("external", info.sizeExternal());
        exchange.sendJson(200, body);
    }

    private static void allDocs(HttpExchange exchange, Partition partition) throws IOException {
        AllDocsOptions options = AllDocsEndpoints.allDocsOptions(exchange);
        exchange.streamJson(200, generator -> {
            AllDocsJsonWriter writer = new AllDocsJsonWriter(generator, options.includeDocs());
            partition.allDocs(options, writer);
            writer.finish();
        });
    }
}
