package dev.arbor.server.changes;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arbor.Arbor;
import dev.arbor.core.json.Json;
import dev.arbor.server.ArborServer;
import dev.arbor.server.ServerConfig;
import dev.arbor.testkit.Eventually;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code /{db}/_changes} on a real server over loopback HTTP, with the changes endpoint plugged in. */
class ChangesHttpTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    /** For two thousand requests at once: only ends a hung test, a busy machine may need minutes. */
    private static final Duration LONG_WAIT = Duration.ofMinutes(3);

    @TempDir
    Path dir;
    private ArborServer server;
    private ChangesEndpoint endpoint;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(WAIT).build();

    @BeforeEach
    void start() throws Exception {
        // Polls wait for their write however long a busy machine takes to open the others, not CouchDB's 60 s.
        endpoint = new ChangesEndpoint(new ChangesConfig(10_000, 600_000));
        server = ArborServer.builder(ServerConfig.defaults(dir).withPort(0).withAccessLog(false), Arbor.storage(dir.resolve("data")))
                .changes(endpoint)
                .start();
        assertEquals(201, send("PUT", "/db", null).statusCode());
    }

    @AfterEach
    void stop() {
        endpoint.close();
        server.close();
    }

    private URI uri(String pathAndQuery) {
        return server.uri().resolve(pathAndQuery);
    }

    private HttpResponse<String> send(String method, String pathAndQuery, String json) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(pathAndQuery)).timeout(WAIT)
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private String put(String id) throws Exception {
        HttpResponse<String> response = send("PUT", "/db/" + id, "{}");
        assertEquals(201, response.statusCode(), response.body());
        return Json.parse(response.body()).get("rev").asText();
    }

    @Test
    void normalFeedAnswersWithCouchDbsBodyAndJsonContentType() throws Exception {
        String rev = put("a");

        HttpResponse<String> response = send("GET", "/db/_changes", null);

        assertEquals(200, response.statusCode());
        assertEquals("application/json", response.headers().firstValue("Content-Type").orElseThrow());
        assertEquals("{\"results\":[\n{\"seq\":1,\"id\":\"a\",\"changes\":[{\"rev\":\"" + rev + "\"}]}\n],\n"
                + "\"last_seq\":1,\"pending\":0}\n", response.body());
    }

    @Test
    void badParametersGetTheirStatusAndCouchDbsErrorBody() throws Exception {
        HttpResponse<String> feed = send("GET", "/db/_changes?feed=sometimes", null);
        HttpResponse<String> filter = send("GET", "/db/_changes?filter=app/missing", null);
        HttpResponse<String> noDb = send("GET", "/nodb/_changes", null);

        assertEquals(400, feed.statusCode());
        assertEquals("bad_request", Json.parse(feed.body()).get("error").asText());
        assertEquals(404, filter.statusCode());
        assertEquals("{\"error\":\"not_found\",\"reason\":\"missing\"}", Json.parse(filter.body()).toString());
        assertEquals(404, noDb.statusCode());
    }

    @Test
    void docIdsFilterWorksByQueryStringAndByPostBody() throws Exception {
        put("a");
        put("b");
        put("c");

        JsonNode byGet = Json.parse(send("GET", "/db/_changes?filter=_doc_ids&doc_ids=%5B%22c%22%5D", null).body());
        HttpResponse<String> byPost = send("POST", "/db/_changes?filter=_doc_ids", "{\"doc_ids\":[\"a\",\"c\"]}");

        assertEquals(1, byGet.get("results").size());
        assertEquals("c", byGet.get("results").get(0).get("id").asText());
        assertEquals(200, byPost.statusCode(), byPost.body());
        List<String> ids = new ArrayList<>();
        Json.parse(byPost.body()).get("results").forEach(row -> ids.add(row.get("id").asText()));
        assertEquals(List.of("a", "c"), ids);
    }

    @Test
    void postWithoutJsonContentTypeIs415() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(uri("/db/_changes")).timeout(WAIT)
                .header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build();
        assertEquals(415, client.send(request, HttpResponse.BodyHandlers.ofString()).statusCode());
    }

    /**
     * The database's sequence now, for a poll that must wait for the next write: {@code since=now} is resolved when
     * the request reaches the server, which a busy machine may delay past the write the test makes next.
     */
    private String currentSeq() throws Exception {
        String seq = Json.parse(send("GET", "/db", null).body()).get("update_seq").asText();
        return java.net.URLEncoder.encode(seq, StandardCharsets.UTF_8);
    }

    @Test
    void longpollOverHttpReturnsOnTheNextWrite() throws Exception {
        CompletableFuture<HttpResponse<String>> poll = client.sendAsync(
                HttpRequest.newBuilder(uri("/db/_changes?feed=longpoll&since=" + currentSeq())).timeout(WAIT).build(),
                HttpResponse.BodyHandlers.ofString());
        Eventually.until("the poll reached the server", () -> endpoint.service().openLiveFeeds() == 1);
        assertFalse(poll.isDone(), "nothing to answer before the write");

        put("x");

        HttpResponse<String> response = poll.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertEquals(200, response.statusCode());
        assertEquals("x", Json.parse(response.body()).get("results").get(0).get("id").asText());
    }

    @Test
    void continuousFeedStreamsLinesAsWritesHappen() throws Exception {
        HttpResponse<InputStream> response = client.send(
                HttpRequest.newBuilder(uri("/db/_changes?feed=continuous&heartbeat=50&limit=2")).timeout(WAIT).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, response.statusCode());
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            assertEquals("", lines.readLine(), "a heartbeat while nothing happens");
            put("a");
            String line;
            while ((line = lines.readLine()).isEmpty()) {
                // heartbeats
            }
            assertEquals("a", Json.parse(line).get("id").asText());
            put("b");
            while ((line = lines.readLine()).isEmpty()) {
                // heartbeats
            }
            assertEquals("b", Json.parse(line).get("id").asText());
            assertEquals("{\"last_seq\":2,\"pending\":0}", lines.readLine());
            assertEquals(null, lines.readLine(), "the response ends after the trailer");
        }
    }

    @Test
    void eventSourceHasItsContentTypeAndNoCaching() throws Exception {
        put("a");

        HttpResponse<String> response = send("GET", "/db/_changes?feed=eventsource&limit=1", null);

        assertEquals("text/event-stream", response.headers().firstValue("Content-Type").orElseThrow().split(";")[0]);
        assertEquals("no-cache", response.headers().firstValue("Cache-Control").orElseThrow());
        assertTrue(response.body().startsWith("data: {\"seq\":1,\"id\":\"a\""), response.body());
        assertTrue(response.body().contains("\nid: 1\n\n"));
    }

    @Test
    void longpollOutlivesTheConnectorIdleTimeoutWithoutHeartbeat() throws Exception {
        // Jetty's connector idle timeout (30 s by default) must not cut a longpoll that waits quietly.
        CompletableFuture<HttpResponse<String>> poll = client.sendAsync(
                HttpRequest.newBuilder(uri("/db/_changes?feed=longpoll&since=now&timeout=40000")).timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofString());
        Thread.sleep(35_000);
        assertFalse(poll.isDone(), () -> "ended early: " + poll.join().body());
        put("late");
        assertEquals("late", Json.parse(poll.get(WAIT.toMillis(), TimeUnit.MILLISECONDS).body()).get("results").get(0).get("id").asText());
    }

    private static long platformThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(thread -> !thread.isVirtual()).count();
    }

    @Test
    void twoThousandIdleLongpollsOverHttpNeedNoPlatformThreadEachAndAllReturnOnOneWrite() throws Exception {
        int polls = 2_000;
        long platformBefore = platformThreads();
        List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
        // Several clients, so the load is several connection pools as it would be from many processes.
        List<HttpClient> clients = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            clients.add(HttpClient.newBuilder().connectTimeout(WAIT).executor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()).build());
        }
        String since = currentSeq();
        for (int i = 0; i < polls; i++) {
            HttpRequest request = HttpRequest.newBuilder(uri("/db/_changes?feed=longpoll&since=" + since)).timeout(LONG_WAIT).build();
            responses.add(clients.get(i % clients.size()).sendAsync(request, HttpResponse.BodyHandlers.ofString()));
        }
        Eventually.until(LONG_WAIT, () -> "every poll is open and waiting: " + endpoint.service().openLiveFeeds() + " of " + polls,
                () -> endpoint.service().openLiveFeeds() == polls);
        long platformWhileWaiting = platformThreads();
        int liveThreads = ManagementFactory.getThreadMXBean().getThreadCount(); // platform threads only
        assertTrue(platformWhileWaiting - platformBefore < 200,
                "platform threads: " + platformBefore + " before, " + platformWhileWaiting + " with " + polls + " polls waiting");
        assertTrue(liveThreads < polls / 4, "the JVM has " + liveThreads + " platform threads for " + polls + " waiting polls");

        put("wake");

        for (CompletableFuture<HttpResponse<String>> response : responses) {
            HttpResponse<String> answered = response.get(LONG_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertEquals(200, answered.statusCode());
            assertEquals("wake", Json.parse(answered.body()).get("results").get(0).get("id").asText());
        }
        // A client can read the whole answer before the server's thread has closed the feed behind it.
        Eventually.until("every answered poll's feed closed", () -> endpoint.service().openLiveFeeds() == 0);
        clients.forEach(HttpClient::close);
    }
}
