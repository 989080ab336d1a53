package dev.arbor.server.couchdb;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arbor.core.json.Json;
import dev.arbor.testkit.CouchDbPeer;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The node endpoints ({@code _membership}, {@code _node/_local[/_config|/_stats]}) and {@code _db_updates}. */
class NodeAnswersMatchCouchDbTest extends AnswersMatchCouchDb {
    Path arborDir;

    @Override
    void prepare(Path dir) {
        arborDir = dir.resolve("arbor");
        // CouchDB keeps its database events in _global_changes, which a single node does not create by itself.
        assertEquals(201, both.couch().request("PUT", "/_global_changes", null).status());
    }

    @Test
    void membershipAndNodeNameAreForAdmins() {
        both.assertSame("GET", "/_membership", null);
        both.sendAnonymous("GET", "/_membership", null).assertSameShape().assertSameValue("/reason");
        both.assertSame("GET", "/_node/_local", null);
        String name = both.send("GET", "/_node/_local", null).arborJson().get("name").textValue();
        assertEquals(200, both.arbor().request("GET", "/_node/" + name + "/_config/chttpd_auth/iterations", null).status());
        both.assertSame("GET", "/_node/nonode/_config", null).assertSameValue("/reason");
        both.sendAnonymous("GET", "/_node/_local/_config", null).assertSameShape().assertSameValue("/reason");
    }

    @Test
    void configValuesAreSetReadAndDeletedAsCouchDbDoes() throws Exception {
        String key = "/_node/_local/_config/arbor_test/greeting";
        both.assertSame("GET", key, null).assertSameValue("/reason");
        both.assertSame("PUT", key, "\"hello\"").assertSameValue("");
        both.assertSame("GET", key, null).assertSameValue("");
        both.assertSame("GET", "/_node/_local/_config/arbor_test", null).assertSameValue("");
        both.assertSame("PUT", key, "\"again\"").assertSameValue("");
        both.assertSame("PUT", key, "5").assertSameValue("/reason");
        both.assertSame("PUT", key, "not json").assertSameValue("/reason");
        both.assertSame("PUT", key, null).assertSameValue("/reason");
        both.assertSame("POST", key, "\"x\"");
        both.assertSame("GET", "/_node/_local/_config/no_such_section", null).assertSameValue("");
        assertTrue(Files.readString(arborDir.resolve("arbor.ini")).contains("greeting = again"), "persisted in arbor.ini");
        both.assertSame("DELETE", key, null).assertSameValue("");
        both.assertSame("DELETE", key, null).assertSameValue("/reason");
        both.assertSame("GET", key, null).assertSameValue("/reason");
    }

    @Test
    void anAdminSetInTheConfigCanLogInAtOnce() {
        both.assertSame("PUT", "/_node/_local/_config/admins/carol", "\"pw\"").assertSameValue("");
        // CouchDB hashes such a password and lets the admin in only some seconds later; Arbor at once.
        var session = both.arbor().requestWithHeaders("GET", "/_session", CouchDbDifferential.basic("carol", "pw"));
        assertEquals("carol", Json.parse(session.body()).at("/userCtx/name").textValue(), session.body());
        assertTrue(both.send("GET", "/_node/_local/_config/admins/carol", null).arborJson().textValue().startsWith("-pbkdf2"),
                "stored hashed");
    }

    @Test
    void aSettingArborReadsAtStartIsRefusedWhenTheServerCouldNotStartWithIt() {
        var refused = both.arbor().request("PUT", "/_node/_local/_config/httpd/port", "\"not a port\"");
        assertEquals(400, refused.status(), refused.body());
        assertEquals(404, both.arbor().request("GET", "/_node/_local/_config/httpd/port", null).status());
    }

    @Test
    void statsAreCouchDbsCounters() {
        both.assertSame("GET", "/_node/_local/_stats/couchdb/httpd/requests", null);
        both.assertSame("GET", "/_node/_local/_stats/couchdb/httpd_request_methods/GET", null);
        both.assertSame("GET", "/_node/_local/_stats/couchdb/httpd_status_codes/404", null);
        var anonymous = both.sendAnonymous("GET", "/_node/_local/_stats", null).assertSameShape();
        assertEquals("unauthorized", anonymous.arborJson().get("error").textValue());
    }

    @Test
    void dbUpdatesReportsCreatedAndDeletedDatabases() throws InterruptedException {
        both.sendAnonymous("GET", "/_db_updates", null).assertSameShape().assertSameValue("/reason");
        both.assertSame("GET", "/_db_updates?feed=bogus", null);
        both.assertSame("PUT", "/dbu", null);
        awaitEvent("dbu", "created");
        both.assertSame("DELETE", "/dbu", null);
        awaitEvent("dbu", "deleted");
        both.assertSame("GET", "/_db_updates?feed=longpoll&since=now&timeout=200", null);
    }

    /** CouchDB writes its events to _global_changes in batches: both are polled until the event shows. */
    private void awaitEvent(String db, String type) throws InterruptedException {
        for (Function<CouchDbDifferential, CouchDbPeer.Response> server : java.util.List.<Function<CouchDbDifferential, CouchDbPeer.Response>>of(
                d -> d.couch().request("GET", "/_db_updates", null), d -> d.arbor().request("GET", "/_db_updates", null))) {
            long deadline = System.nanoTime() + 60_000_000_000L; // only ends a wait that would never succeed
            boolean seen = false;
            while (!seen && System.nanoTime() < deadline) {
                JsonNode results = Json.parse(server.apply(both).body()).get("results");
                for (JsonNode row : results) {
                    seen |= row.get("db_name").textValue().equals(db) && row.get("type").textValue().equals(type)
                            && row.get("seq").isTextual();
                }
                if (!seen) {
                    Thread.sleep(200);
                }
            }
            assertTrue(seen, db + " " + type);
        }
    }
}
