package dev.arbor.server;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DatabaseEndpointsTest {
    @TempDir
    Path data;
    TestServer server;

    @BeforeEach
    void start() throws Exception {
        server = TestServer.start(data);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void createIs201WithLocationThen412FileExists() throws Exception {
        var created = server.request("PUT", "/notes");
        assertEquals(201, created.status());
        assertEquals("{\"ok\":true}", created.json().toString());
        assertTrue(created.header("Location").endsWith("/notes"), created.header("Location"));

        var again = server.request("PUT", "/notes");
        assertEquals(412, again.status());
        assertEquals("file_exists", again.json().path("error").asText());
        assertEquals("The database could not be created, the file already exists.", again.json().path("reason").asText());
    }

    @Test
    void illegalNameIs400IllegalDatabaseName() throws Exception {
        var reply = server.request("PUT", "/Bad");
        assertEquals(400, reply.status());
        assertEquals("illegal_database_name", reply.json().path("error").asText());
    }

    @Test
    void nameWithEncodedSlashIsOneDatabase() throws Exception {
        assertEquals(201, server.request("PUT", "/team%2Fnotes").status());
        assertEquals("team/notes", server.request("GET", "/team%2Fnotes").json().path("db_name").asText());
        assertEquals("[\"team/notes\"]", server.request("GET", "/_all_dbs").json().toString());
    }

    @Test
    void infoReportsCountsAndSequence() throws Exception {
        server.request("PUT", "/db");
        server.request("PUT", "/db/a", "{}");
        var info = server.request("GET", "/db").json();
        assertEquals("db", info.path("db_name").asText());
        assertEquals(1, info.path("doc_count").asLong());
        assertEquals(1, info.path("update_seq").asLong());
        assertTrue(info.path("sizes").isObject());
    }

    @Test
    void unknownDatabaseIs404WithCouchDbReason() throws Exception {
        var reply = server.request("GET", "/nope");
        assertEquals(404, reply.status());
        assertEquals("{\"error\":\"not_found\",\"reason\":\"Database does not exist.\"}", reply.json().toString());
        assertEquals(404, server.request("GET", "/nope/_all_docs").status());
        assertEquals(404, server.request("PUT", "/nope/doc", "{}").status());
    }

    @Test
    void headAnswersStatusWithoutBody() throws Exception {
        server.request("PUT", "/db");
        var found = server.request("HEAD", "/db");
        assertEquals(200, found.status());
        assertEquals("", found.text());
        assertEquals(404, server.request("HEAD", "/nope").status());
    }

    @Test
    void deleteRemovesTheDatabaseAndRefusesADocumentStyleRev() throws Exception {
        server.request("PUT", "/db");
        var withRev = server.request("DELETE", "/db?rev=1-abc");
        assertEquals(400, withRev.status());
        assertEquals("bad_request", withRev.json().path("error").asText());

        assertEquals(200, server.request("DELETE", "/db").status());
        assertEquals(404, server.request("GET", "/db").status());
        assertEquals(404, server.request("DELETE", "/db").status());
    }

    @Test
    void securityObjectRoundTrips() throws Exception {
        server.request("PUT", "/db");
        assertEquals("{}", server.request("GET", "/db/_security").json().toString());
        String security = "{\"admins\":{\"names\":[\"ann\"],\"roles\":[]},\"members\":{\"names\":[],\"roles\":[\"staff\"]}}";
        var put = server.request("PUT", "/db/_security", security);
        assertEquals(200, put.status());
        assertEquals("{\"ok\":true}", put.json().toString());
        var read = server.request("GET", "/db/_security").json();
        assertEquals("ann", read.path("admins").path("names").get(0).asText());
        assertEquals("staff", read.path("members").path("roles").get(0).asText());
    }

    @Test
    void revsLimitReadsAndSetsAPositiveInteger() throws Exception {
        server.request("PUT", "/db");
        assertEquals("1000", server.request("GET", "/db/_revs_limit").text().strip());
        assertEquals(200, server.request("PUT", "/db/_revs_limit", "5").status());
        assertEquals("5", server.request("GET", "/db/_revs_limit").text().strip());
        assertEquals(400, server.request("PUT", "/db/_revs_limit", "\"x\"").status());
        assertEquals(400, server.request("PUT", "/db/_revs_limit", "0").status());
    }

    @Test
    void compactIs202AndNeedsJsonContentType() throws Exception {
        server.request("PUT", "/db");
        var reply = server.request("POST", "/db/_compact", "{}");
        assertEquals(202, reply.status());
        assertEquals("{\"ok\":true}", reply.json().toString());

        var noType = server.request("POST", "/db/_compact");
        assertEquals(415, noType.status());
        assertEquals("bad_content_type", noType.json().path("error").asText());
        assertEquals("Content-Type must be application/json", noType.json().path("reason").asText());
    }

    @Test
    void ensureFullCommitIs201WithInstanceStartTime() throws Exception {
        server.request("PUT", "/db");
        var reply = server.request("POST", "/db/_ensure_full_commit", "{}");
        assertEquals(201, reply.status());
        assertEquals("0", reply.json().path("instance_start_time").asText());
    }

    @Test
    void purgeRemovesTheNamedLeafAndReportsIt() throws Exception {
        server.request("PUT", "/db");
        String rev = server.request("PUT", "/db/a", "{}").json().path("rev").asText();
        var reply = server.request("POST", "/db/_purge", "{\"a\":[\"" + rev + "\"]}");
        assertEquals(201, reply.status());
        assertEquals(rev, reply.json().path("purged").path("a").get(0).asText());
        assertTrue(reply.json().path("purge_seq").isNumber());
        assertEquals(404, server.request("GET", "/db/a").status());
    }
}
