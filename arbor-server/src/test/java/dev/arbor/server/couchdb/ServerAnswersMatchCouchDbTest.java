package dev.arbor.server.couchdb;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Server-level requests answer as CouchDB 3.5 answers them. */
class ServerAnswersMatchCouchDbTest extends AnswersMatchCouchDb {
    @Test
    void welcomeNamesTheCouchDbReleaseArborFollowsAndArborAsVendor() {
        var answers = both.sendAnonymous("GET", "/", null).assertSameValue("/couchdb");
        JsonNode couch = answers.couchJson();
        JsonNode arbor = answers.arborJson();
        assertEquals(couch.get("version").textValue().replaceAll("\\.\\d+$", ""),
                arbor.get("version").textValue().replaceAll("\\.\\d+$", ""), "the same 3.x minor release");
        assertEquals("Arbor", arbor.at("/vendor/name").textValue());
        assertTrue(arbor.at("/vendor/version").isTextual());
        assertTrue(arbor.get("uuid").textValue().matches("[0-9a-f]{32}"));
        for (JsonNode feature : arbor.get("features")) {
            assertTrue(couch.get("features").toString().contains(feature.toString()), "CouchDB lists " + feature);
        }
    }

    @Test
    void anUnknownServerPathIsForServerAdminsAndThenNoDatabase() {
        both.sendAnonymous("GET", "/_foo", null).assertSameShape().assertSameValue("/reason");
        both.assertSame("GET", "/_foo", null).assertSameValue("/reason");
        both.assertSame("GET", "/_foo/bar", null).assertSameValue("/reason");
        both.assertSame("PUT", "/_foo", null);
    }

    @Test
    void systemDatabasesExistFromTheFirstStartClosedToAllButAdmins() throws InterruptedException {
        for (String db : new String[] {"_users", "_replicator"}) {
            // A single CouchDB node creates its system databases just after it starts answering.
            for (int i = 0; i < 300 && both.couch().request("GET", "/" + db, null).status() != 200; i++) { // up to a minute
                Thread.sleep(200);
            }
            assertEquals(200, both.arbor().request("GET", "/" + db, null).status(), db);
            both.assertSame("GET", "/" + db + "/_security", null).assertSameValue("");
            both.sendAnonymous("GET", "/" + db + "/_all_docs", null).assertSameShape().assertSameValue("/reason");
        }
    }
}
