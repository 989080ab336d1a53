package dev.arbor.server.protocol;

import dev.arbor.api.Database;
import dev.arbor.api.DocResult;
import dev.arbor.client.protocol.ProtocolStorage;
import dev.arbor.core.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Many requests in flight on one connection, answered in whatever order they finish, each matched to its caller by id;
 * past the server's per-connection limit (4 here) further requests wait rather than fail.
 */
class PipeliningTest {
    @RegisterExtension
    static final SecuredLoopbackServer server = new SecuredLoopbackServer(4);

    @Test
    void aThousandConcurrentGetsOnOneConnectionEachGetTheirOwnDocument() throws Exception {
        Database local = server.storage().createDatabase("many");
        List<com.fasterxml.jackson.databind.node.ObjectNode> docs = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            docs.add(Json.parseObject("{\"_id\":\"doc-" + i + "\",\"n\":" + i + "}"));
        }
        local.bulkDocs(docs).forEach(r -> assertEquals(DocResult.Ok.class, r.getClass()));

        try (ProtocolStorage remote = server.connectAsAdmin();
             ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
            Database db = remote.database("many");
            List<Future<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                String id = "doc-" + i;
                answers.add(callers.submit(() -> db.get(id).get("n").asInt()));
            }
            for (int i = 0; i < 1000; i++) {
                assertEquals(i, answers.get(i).get());
            }
        }
    }
}
