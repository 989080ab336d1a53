package dev.arbor.client.protocol;

import dev.arbor.api.ChangeRow;
import dev.arbor.api.ChangesOptions;
import dev.arbor.api.Database;
import dev.arbor.api.Seq;
import dev.arbor.core.json.Json;
import dev.arbor.server.contract.LoopbackServer;
import dev.arbor.server.reliability.FaultyProxy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * The changes feed pushed by the server ({@link ProtocolDatabase#changesFeed}): the changes after {@code since} at once,
 * then each commit's as it lands, and after its connection is cut and replaced exactly the changes missed.
 * White-box: the feed is the client's, reached from its package.
 */
class ChangesFeedOverProtocolTest {
    @RegisterExtension
    static final LoopbackServer server = new LoopbackServer();

    private static List<String> take(BlockingQueue<ChangeRow> rows, int n) throws InterruptedException {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ChangeRow row = rows.poll(10, TimeUnit.SECONDS);
            assertNotNull(row, "change " + (i + 1) + " of " + n + " pushed");
            ids.add(row.id());
        }
        return ids;
    }

    @Test
    void aFeedPushesTheChangesAfterSinceThenEachCommitsAndResumesWhereItStopped() throws Exception {
        // Slow to reconnect, so the writes below land while no connection listens.
        Reconnect slow = new Reconnect(true, Duration.ofMillis(500), Duration.ofSeconds(1));
        try (FaultyProxy proxy = new FaultyProxy(server.uri().getPort(), 0, 0, 6);
             ProtocolStorage remote = new ProtocolStorage(ReconnectingConnection.open(
                     URI.create("ws://127.0.0.1:" + proxy.port() + "/"), Duration.ofSeconds(30), slow))) {
            Database db = remote.createDatabase("feed");
            db.put(Json.parseObject("{\"_id\":\"before\"}"));
            Seq since = db.info().updateSeq();
            db.put(Json.parseObject("{\"_id\":\"a\"}"));

            BlockingQueue<ChangeRow> rows = new LinkedBlockingQueue<>();
            ChangesSubscription feed = ((ProtocolDatabase) db).changesFeed(ChangesOptions.DEFAULT.since(since), rows::add);
            assertEquals(List.of("a"), take(rows, 1), "the changes after since, not before it");
            db.put(Json.parseObject("{\"_id\":\"b\"}"));
            assertEquals(List.of("b"), take(rows, 1), "a commit's change, pushed");

            proxy.cutAll();
            try (ProtocolStorage direct = new ProtocolStorage(ProtocolConnection.open(
                    URI.create("ws://127.0.0.1:" + server.uri().getPort() + "/"), Duration.ofSeconds(30)))) {
                Database beside = direct.database("feed");
                beside.put(Json.parseObject("{\"_id\":\"c\"}"));
                beside.put(Json.parseObject("{\"_id\":\"d\"}"));
            }
            assertEquals(List.of("c", "d"), take(rows, 2), "the changes missed between the connections, once each");
            db.put(Json.parseObject("{\"_id\":\"e\"}"));
            assertEquals(List.of("e"), take(rows, 1));
            feed.close();
        }
    }
}
