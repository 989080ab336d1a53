package dev.arbor.server.reliability;

import dev.arbor.core.json.Json;
import dev.arbor.server.ServerConfig;
import dev.arbor.server.TestServer;
import dev.arbor.testkit.Eventually;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hostile requests over real HTTP: each is refused with its status and CouchDB's {@code {"error","reason"}} body,
 * nothing is half-written, and the server keeps serving the next request.
 */
class HostileInputHttpTest {
    @TempDir
    Path dir;

    private TestServer server;

    private TestServer start(ServerConfig config) throws Exception {
        server = TestServer.start(config.withPort(0).withAccessLog(false));
        assertEquals(201, server.request("PUT", "/db").status());
        return server;
    }

    private TestServer start() throws Exception {
        return start(ServerConfig.defaults(dir));
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    private void assertCouchError(TestServer.Reply reply, int status, String error) {
        assertEquals(status, reply.status(), reply.text());
        assertEquals(error, reply.json().path("error").asText(), reply.text());
        assertTrue(reply.json().path("reason").isTextual(), reply.text());
    }

    private long docCount() throws Exception {
        return server.request("GET", "/db").json().path("doc_count").asLong();
    }

    @Test
    void bodyOverMaxRequestSizeIs413AndNothingIsWritten() throws Exception {
        start(ServerConfig.defaults(dir).withMaxRequestBodyBytes(1000));
        String big = "{\"x\":\"" + "a".repeat(2000) + "\"}";
        assertCouchError(server.request("PUT", "/db/big", big), 413, "too_large");
        assertCouchError(server.request("POST", "/db/_bulk_docs", "{\"docs\":[{\"_id\":\"a\"}," + big + "]}"), 413, "too_large");
        assertEquals(0, docCount());
        assertEquals(201, server.request("PUT", "/db/small", "{\"x\":1}").status());
    }

    @Test
    void malformedJsonAndTooDeepNestingAre400BadRequest() throws Exception {
        start();
        assertCouchError(server.request("PUT", "/db/a", "{\"x\":"), 400, "bad_request");
        assertCouchError(server.request("PUT", "/db/a", "{\"x\":1} trailing"), 400, "bad_request");
        String deep = "[".repeat(Json.MAX_NESTING_DEPTH + 10) + "]".repeat(Json.MAX_NESTING_DEPTH + 10);
        assertCouchError(server.request("PUT", "/db/a", "{\"x\":" + deep + "}"), 400, "bad_request");
        assertEquals(0, docCount());
    }

    @Test
    void numbersBeyondBigDecimalAre400NotA500() throws Exception {
        // Found by DocumentParserFuzzTest: Jackson throws an unchecked NumberFormatException for these.
        start();
        assertCouchError(server.request("PUT", "/db/a", "{\"x\":122222222e22222222222}"), 400, "bad_request");
        assertCouchError(server.request("POST", "/db/_bulk_docs", "{\"docs\":[{\"x\":1e99999999999}]}"), 400, "bad_request");
        // A selector holding such a number is valid JSON to _find; it must just never be a 500 (SelectorParseFuzzTest).
        assertEquals(200, server.request("POST", "/db/_find", "{\"selector\":{\"x\":2E16178033}}").status());
        assertCouchError(server.request("POST", "/db/_find", "{\"selector\":{\"x\":{\"$bad\":2E16178033}}}"), 400, "invalid_operator");
    }

    @Test
    void badRevisionsAndBadQueryParametersAre400() throws Exception {
        start();
        assertCouchError(server.request("PUT", "/db/a", "{\"_rev\":\"x\"}"), 400, "bad_request");
        assertCouchError(server.request("PUT", "/db/a", "{\"_rev\":\"0-abc\"}"), 400, "bad_request");
        assertEquals(201, server.request("PUT", "/db/a", "{}").status());
        assertCouchError(server.request("GET", "/db/a?rev=nonsense"), 400, "bad_request");
        // "1-" is a revision to CouchDB (position 1, empty hash): one this doc does not have
        assertCouchError(server.request("DELETE", "/db/a?rev=1-"), 409, "conflict");
        assertCouchError(server.request("DELETE", "/db/a?rev=nonsense"), 400, "bad_request");
        assertCouchError(server.request("GET", "/db/_all_docs?limit=abc"), 400, "query_parse_error");
        assertCouchError(server.request("GET", "/db/_all_docs?descending=maybe"), 400, "query_parse_error");
        assertCouchError(server.request("GET", "/db/_all_docs?startkey=%7Bnot-json"), 400, "bad_request");
        String raw = rawExchange("GET /db/_all_docs?limit=%zz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertTrue(raw.startsWith("HTTP/1.1 400"), raw);
        assertTrue(raw.contains("\"error\":\"bad_request\""), raw);
    }

    @Test
    void urlOverTheHeaderBudgetIs414WithACouchBody() throws Exception {
        start(ServerConfig.defaults(dir).withLimits(ServerConfig.Limits.DEFAULT.withMaxHeaderBytes(4096)));
        TestServer.Reply reply = server.request("GET", "/db/" + "a".repeat(5000));
        assertCouchError(reply, 414, "uri_too_long");
        assertEquals("application/json", reply.header("Content-Type"));
        assertEquals(200, server.request("GET", "/db").status());
    }

    @Test
    void aClientThatStallsMidHeadersOrMidBodyIsCutOffAfterTheIdleTimeout() throws Exception {
        start(ServerConfig.defaults(dir).withLimits(ServerConfig.Limits.DEFAULT.withIdleTimeout(Duration.ofMillis(500))));
        int port = server.server().port();
        for (String partial : List.of(
                "GET /db HTTP/1.1\r\nHost: x\r\n",
                "PUT /db/slow HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"half\":")) {
            try (Socket socket = new Socket("127.0.0.1", port)) {
                // The server closing the connection is what ends the read; our own read timeout failing the test
                // would mean it never did. How soon it closes is not asserted: a busy machine decides that.
                socket.setSoTimeout(120_000);
                socket.getOutputStream().write(partial.getBytes(StandardCharsets.US_ASCII));
                socket.getOutputStream().flush();
                InputStream in = socket.getInputStream();
                while (in.read() >= 0) {
                    // whatever Jetty says before closing (a 408 or nothing) is fine
                }
            }
        }
        assertEquals(404, server.request("GET", "/db/slow").status(), "a half-sent body must not be written");
    }

    @Test
    void aClientThatDisconnectsMidBodyLeavesNothingHalfWritten() throws Exception {
        start();
        int port = server.server().port();
        String docs = "{\"docs\":[" + "{\"_id\":\"d%d\",\"pad\":\"%s\"},".repeat(1).formatted(0, "x".repeat(100));
        try (Socket socket = new Socket("127.0.0.1", port)) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /db/_bulk_docs HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 100000\r\n\r\n" + docs).getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }
        Thread.sleep(300);
        assertEquals(0, docCount());
        assertEquals(404, server.request("GET", "/db/d0").status());
    }

    @Test
    void oneClientPastItsSimultaneousRequestLimitGets429() throws Exception {
        start(ServerConfig.defaults(dir).withLimits(ServerConfig.Limits.DEFAULT.withMaxRequestsPerClient(3)));
        // Three parked longpolls take this client's three slots; the fourth request is refused at once. They wait
        // for a write (since=0 on the empty database), not for a timeout a busy machine could outlast before the
        // fourth request is sent; the write comes through the storage, as this client has no slot left for it.
        // The server counts a request until after its client has the answer: the database's PUT must be gone
        // before the longpolls are counted.
        Eventually.until("the setup's requests left", () -> server.server().requestsInFlight() == 0);
        List<CompletableFuture<HttpResponse<String>>> parked = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            parked.add(server.client().sendAsync(HttpRequest.newBuilder(server.uri("/db/_changes?feed=longpoll&since=0&timeout=600000"))
                    .build(), HttpResponse.BodyHandlers.ofString()));
        }
        Eventually.until("the three longpolls are in flight", () -> server.server().requestsInFlight() == 3);
        assertCouchError(server.request("GET", "/db"), 429, "too_many_requests");
        // When the longpolls are answered, the slots come back.
        server.storage().database("db").put(Json.parseObject("{\"_id\":\"wake\"}"));
        for (CompletableFuture<HttpResponse<String>> poll : parked) {
            assertEquals(200, poll.get().statusCode());
        }
        // The client can hold an answer before the server has let go of its request.
        Eventually.until("the answered longpolls left", () -> server.server().requestsInFlight() == 0);
        assertEquals(200, server.request("GET", "/db").status());
    }

    @Test
    void openChangesFeedsPastTheServerCapAre503() throws Exception {
        start(ServerConfig.defaults(dir).withLimits(ServerConfig.Limits.DEFAULT.withMaxOpenFeeds(2)));
        // Two feeds parked until the write below (since=0 on the empty database). A longpoll that has opened its feed
        // and begun to wait has sent its headers and first byte, so each response here arriving means its slot is
        // held: no probe has to compete with them for a slot (a probe that did could take one first and get a parked
        // feed refused in its place).
        HttpClient parkingClient = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        List<HttpResponse<InputStream>> parked = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            parked.add(parkingClient.send(HttpRequest.newBuilder(server.uri("/db/_changes?feed=longpoll&since=0&timeout=600000"))
                    .build(), HttpResponse.BodyHandlers.ofInputStream()));
            assertEquals(200, parked.get(i).statusCode());
        }
        TestServer.Reply refused = server.request("GET", "/db/_changes?feed=longpoll&since=now&timeout=1");
        assertEquals(503, refused.status(), refused.text());
        assertEquals("service_unavailable", refused.json().path("error").asText(), refused.text());
        assertEquals(201, server.request("PUT", "/db/wake", "{}").status());
        for (HttpResponse<InputStream> poll : parked) {
            try (InputStream body = poll.body()) {
                String text = new String(body.readAllBytes(), StandardCharsets.UTF_8);
                assertTrue(text.contains("\"wake\""), text);
            }
        }
    }

    @Test
    void aRequestRefusedBeforeItsBodyIsReadLeavesItsConnectionUsable() throws Exception {
        start();
        try (Socket socket = new Socket("127.0.0.1", server.server().port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            out.write(("PUT /nowhere/doc HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 11\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            // The body comes late, as it may over a network: the refusal must not cost the connection either way.
            Thread.sleep(100);
            out.write("{\"a\":\"bcd\"}".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String refused = readResponse(in);
            assertTrue(refused.startsWith("HTTP/1.1 404"), refused);
            out.write("GET /db HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String next = readResponse(in);
            assertTrue(next.startsWith("HTTP/1.1 200"), next);
        }
    }

    /** One response with a Content-Length body, read off a kept-alive connection. */
    private static String readResponse(InputStream in) throws Exception {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new AssertionError("the connection closed after: " + head);
            }
            head.append((char) b);
        }
        int length = 0;
        for (String line : head.toString().split("\r\n")) {
            if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        return head + new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }

    /** Sends bytes the JDK client refuses to send (bad escapes) and returns the whole response as text. */
    private String rawExchange(String request) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", server.server().port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
