package dev.arbor.server;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ServerEndpointsTest {
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
    void welcomeNamesCouchDbVersionUuidAndVendorWithArborHeaders() throws Exception {
        var reply = server.request("GET", "/");
        assertEquals(200, reply.status());
        JsonNode body = reply.json();
        assertEquals("Welcome", body.path("couchdb").asText());
        assertTrue(body.path("version").asText().startsWith("3."));
        assertTrue(body.path("uuid").asText().matches("[0-9a-f]{32}"));
        assertTrue(body.path("features").isArray());
        assertEquals("Arbor", body.path("vendor").path("name").asText());
        assertEquals("application/json", reply.header("Content-Type"));
        assertEquals("must-revalidate", reply.header("Cache-Control"));
        assertTrue(reply.header("Server").startsWith("Arbor/"), reply.header("Server"));
    }

    @Test
    void uuidSurvivesARestartOnTheSameDataDirectory() throws Exception {
        String before = server.request("GET", "/").json().path("uuid").asText();
        server.close();
        server = TestServer.start(data);
        assertEquals(before, server.request("GET", "/").json().path("uuid").asText());
    }

    @Test
    void upAnswersStatusOk() throws Exception {
        var reply = server.request("GET", "/_up");
        assertEquals(200, reply.status());
        assertEquals("ok", reply.json().path("status").asText());
    }

    @Test
    void uuidsGivesTheCountAskedForUncachedAndRefusesTooMany() throws Exception {
        var reply = server.request("GET", "/_uuids?count=3");
        assertEquals(200, reply.status());
        JsonNode uuids = reply.json().path("uuids");
        assertEquals(3, uuids.size());
        assertFalse(uuids.get(0).asText().equals(uuids.get(1).asText()));
        assertTrue(reply.header("Cache-Control").contains("no-cache"));
        assertEquals(1, server.request("GET", "/_uuids").json().path("uuids").size());

        var tooMany = server.request("GET", "/_uuids?count=1001");
        assertEquals(400, tooMany.status());
        assertEquals("bad_request", tooMany.json().path("error").asText());
        assertEquals(400, server.request("GET", "/_uuids?count=abc").status());
    }

    @Test
    void allDbsListsSortedNamesAndHonoursRangeAndLimit() throws Exception {
        for (String name : new String[] {"b", "a", "c"}) {
            assertEquals(201, server.request("PUT", "/" + name).status());
        }
        assertEquals("[\"a\",\"b\",\"c\"]", server.request("GET", "/_all_dbs").json().toString());
        assertEquals("[\"b\",\"c\"]", server.request("GET", "/_all_dbs?startkey=%22b%22").json().toString());
        assertEquals("[\"c\",\"b\"]", server.request("GET", "/_all_dbs?descending=true&limit=2").json().toString());
        var bad = server.request("GET", "/_all_dbs?limit=x");
        assertEquals(400, bad.status());
        assertEquals("query_parse_error", bad.json().path("error").asText());
        assertEquals("Invalid value for integer: \"x\"", bad.json().path("reason").asText());
    }

    @Test
    void dbsInfoAnswersEachKeyInOrderWithInfoOrNotFound() throws Exception {
        server.request("PUT", "/a");
        var reply = server.request("POST", "/_dbs_info", "{\"keys\":[\"a\",\"nope\"]}");
        assertEquals(200, reply.status());
        JsonNode body = reply.json();
        assertEquals("a", body.get(0).path("key").asText());
        assertEquals("a", body.get(0).path("info").path("db_name").asText());
        assertEquals("nope", body.get(1).path("key").asText());
        assertEquals("not_found", body.get(1).path("error").asText());

        var missingKeys = server.request("POST", "/_dbs_info", "{}");
        assertEquals(400, missingKeys.status());
        assertEquals("bad_request", missingKeys.json().path("error").asText());
    }

    @Test
    void activeTasksIsAnEmptyList() throws Exception {
        var reply = server.request("GET", "/_active_tasks");
        assertEquals(200, reply.status());
        assertEquals("[]", reply.json().toString());
    }

    @Test
    void wrongMethodIs405WithAllowHeaderAndCouchDbReason() throws Exception {
        var reply = server.request("DELETE", "/_all_dbs");
        assertEquals(405, reply.status());
        assertEquals("method_not_allowed", reply.json().path("error").asText());
        assertEquals("Only GET,HEAD allowed", reply.json().path("reason").asText());
        assertEquals("GET,HEAD", reply.header("Allow"));
    }
}
