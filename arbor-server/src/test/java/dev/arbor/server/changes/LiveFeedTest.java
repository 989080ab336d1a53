package dev.arbor.server.changes;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arbor.core.json.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** longpoll, continuous and eventsource: waking on commits, heartbeats, timeouts, limits and their bytes. */
class LiveFeedTest {
    private static final Duration WAIT = Duration.ofSeconds(60); // only ends a hung test

    private final FeedFixture fx = new FeedFixture();

    @AfterEach
    void close() {
        fx.close();
    }

    private static ChangesRequest live(FeedType feed) {
        return ChangesRequest.normal().feed(feed);
    }

    // ---- longpoll -----------------------------------------------------------------------------------

    @Test
    void longpollWithChangesAfterSinceAnswersAtOnce() throws Exception {
        fx.put("{'_id':'a'}");

        String body = fx.start(live(FeedType.LONGPOLL)).awaitEnd(WAIT);

        JsonNode json = Json.parse(body);
        assertEquals("a", json.get("results").get(0).get("id").asText());
        assertEquals(1, json.get("last_seq").asLong());
    }

    @Test
    void longpollWaitsForTheNextWriteAndAnswersWithIt() throws Exception {
        fx.put("{'_id':'old'}");
        var feed = fx.start(live(FeedType.LONGPOLL).since(new Since.Now()));
        feed.awaitOutput(text -> text.startsWith("{\"results\":[\n"), WAIT);
        assertTrue(feed.isRunning(), "nothing new yet, so it waits");

        fx.put("{'_id':'new'}");

        JsonNode json = Json.parse(feed.awaitEnd(WAIT));
        assertEquals(1, json.get("results").size());
        assertEquals("new", json.get("results").get(0).get("id").asText());
        assertEquals(2, json.get("last_seq").asLong());
    }

    @Test
    void longpollTimesOutWithAnEmptyResultAtItsSince() throws Exception {
        fx.put("{'_id':'a'}");

        String body = fx.start(live(FeedType.LONGPOLL).since(new Since.Now()).timeoutMillis(100)).awaitEnd(WAIT);

        assertEquals("{\"results\":[\n\n\n],\n\"last_seq\":1,\"pending\":0}\n", body);
    }

    @Test
    void longpollSendsNewlineHeartbeatsWhileWaiting() throws Exception {
        var feed = fx.start(live(FeedType.LONGPOLL).heartbeatMillis(30));

        String waiting = feed.awaitOutput(text -> text.length() >= "{\"results\":[\n".length() + 3, WAIT);
        assertTrue(waiting.startsWith("{\"results\":[\n\n\n\n"), waiting);

        fx.put("{'_id':'a'}");
        JsonNode json = Json.parse(feed.awaitEnd(WAIT));
        assertEquals("a", json.get("results").get(0).get("id").asText());
    }

    @Test
    void longpollKeepsWaitingThroughWritesItsFilterRejects() throws Exception {
        var feed = fx.start(live(FeedType.LONGPOLL).filter(new ChangesFilter.DocIds(List.of("wanted"))));
        feed.awaitOutput(text -> !text.isEmpty(), WAIT);

        fx.put("{'_id':'other'}");
        Thread.sleep(100);
        assertTrue(feed.isRunning(), "a change to another doc does not answer the poll");

        fx.put("{'_id':'wanted'}");
        JsonNode json = Json.parse(feed.awaitEnd(WAIT));
        assertEquals(1, json.get("results").size());
        assertEquals("wanted", json.get("results").get(0).get("id").asText());
        assertEquals(2, json.get("last_seq").asLong());
    }

    // ---- continuous ---------------------------------------------------------------------------------

    @Test
    void continuousSendsALinePerChangeAsTheyHappenAndEndsWithTheTrailerAtItsLimit() throws Exception {
        String a = fx.put("{'_id':'a'}");
        var feed = fx.start(live(FeedType.CONTINUOUS).limit(3));
        feed.awaitOutput(text -> text.contains("\"id\":\"a\""), WAIT);

        String b = fx.put("{'_id':'b'}");
        feed.awaitOutput(text -> text.contains("\"id\":\"b\""), WAIT);
        assertTrue(feed.isRunning());
        String c = fx.put("{'_id':'c'}");
        fx.put("{'_id':'d'}");

        String body = feed.awaitEnd(WAIT);
        List<String> lines = FeedFixture.lines(body).stream().filter(line -> !line.isEmpty()).toList();
        assertEquals(List.of(
                "{\"seq\":1,\"id\":\"a\",\"changes\":[{\"rev\":\"" + a + "\"}]}",
                "{\"seq\":2,\"id\":\"b\",\"changes\":[{\"rev\":\"" + b + "\"}]}",
                "{\"seq\":3,\"id\":\"c\",\"changes\":[{\"rev\":\"" + c + "\"}]}"), lines.subList(0, 3));
        JsonNode trailer = Json.parse(lines.get(3));
        assertEquals(3, trailer.get("last_seq").asLong());
        assertTrue(trailer.get("pending").asLong() <= 1, "d may or may not be committed when the feed stops");
        assertEquals(4, lines.size());
        assertTrue(body.endsWith("}\n"));
    }

    @Test
    void continuousSendsBlankLineHeartbeatsAndNeverTimesOutWithOne() throws Exception {
        var feed = fx.start(live(FeedType.CONTINUOUS).heartbeatMillis(20).timeoutMillis(50));

        String beats = feed.awaitOutput(text -> text.length() >= 8, WAIT);
        assertTrue(beats.isBlank(), "only newlines so far: " + beats);
        Thread.sleep(150);
        assertTrue(feed.isRunning(), "a heartbeat feed outlives its timeout");

        fx.put("{'_id':'a'}");
        feed.awaitOutput(text -> text.contains("\"id\":\"a\""), WAIT);
        feed.feed().cancel();
        String body = feed.awaitEnd(WAIT);
        assertTrue(body.endsWith("{\"last_seq\":1,\"pending\":0}\n"), body);
    }

    @Test
    void continuousWithoutHeartbeatEndsAfterTheTimeoutWithTheTrailer() throws Exception {
        fx.put("{'_id':'a'}");

        String body = fx.start(live(FeedType.CONTINUOUS).timeoutMillis(100)).awaitEnd(WAIT);

        List<String> lines = FeedFixture.lines(body);
        assertTrue(lines.get(0).contains("\"id\":\"a\""));
        assertEquals("{\"last_seq\":1,\"pending\":0}", lines.get(lines.size() - 2));
    }

    @Test
    void liveFeedSinceNowSkipsHistory() throws Exception {
        fx.put("{'_id':'old'}");
        var feed = fx.start(live(FeedType.CONTINUOUS).since(new Since.Now()).limit(1));
        feed.awaitOutput(text -> !text.isEmpty(), WAIT);

        fx.put("{'_id':'new'}");

        String body = feed.awaitEnd(WAIT);
        assertFalse(body.contains("\"old\""));
        assertTrue(body.contains("{\"seq\":2,\"id\":\"new\""));
    }

    // ---- eventsource --------------------------------------------------------------------------------

    @Test
    void eventSourceFramesEachRowAsDataWithItsSeqAsIdAndHeartbeatsAsEvents() throws Exception {
        String a = fx.put("{'_id':'a'}");
        var feed = fx.start(live(FeedType.EVENTSOURCE).heartbeatMillis(30));

        String text = feed.awaitOutput(t -> t.contains("event: heartbeat"), WAIT);
        feed.feed().cancel();
        String body = feed.awaitEnd(WAIT);

        assertTrue(text.startsWith("data: {\"seq\":1,\"id\":\"a\",\"changes\":[{\"rev\":\"" + a + "\"}]}\nid: 1\n\n"), text);
        assertTrue(body.contains("event: heartbeat\ndata: \n\n"));
        assertFalse(body.contains("last_seq"), "an event stream has no trailer");
    }

    @Test
    void eventSourceIdIsNullWhereSeqIntervalDropsTheSeq() throws Exception {
        fx.put("{'_id':'a'}");
        fx.put("{'_id':'b'}");

        String body = fx.start(live(FeedType.EVENTSOURCE).limit(2).seqInterval(2)).awaitEnd(WAIT);

        assertTrue(body.contains("\"seq\":1,\"id\":\"a\""), body);
        assertTrue(body.contains("\nid: 1\n\n"));
        assertTrue(body.contains("\"seq\":null,\"id\":\"b\""));
        assertTrue(body.contains("\nid: null\n\n"));
    }

    // ---- lifecycle ----------------------------------------------------------------------------------

    @Test
    void aClientThatGoesAwayIsNoticedAtTheNextHeartbeatAndItsSlotIsFreed() throws Exception {
        var sink = new FeedFixture.DisconnectingSink();
        ChangesFeed feed = fx.service.open(fx.db, live(FeedType.CONTINUOUS).heartbeatMillis(20), sink);
        var failure = new java.util.concurrent.CompletableFuture<Throwable>();
        Thread.ofVirtual().start(() -> {
            try (feed) {
                feed.run();
                failure.complete(null);
            } catch (Throwable e) {
                failure.complete(e);
            }
        });
        Thread.sleep(50);
        assertEquals(1, fx.service.openLiveFeeds());

        sink.disconnect();

        assertInstanceOf(IOException.class, failure.get(WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS));
        assertEquals(0, fx.service.openLiveFeeds());
        assertEquals(0, fx.service.watchedDatabases(), "the last feed of a database removes its commit listener");
    }

    @Test
    void closingTheServiceEndsWaitingFeedsWithTheirTrailerAndAnswersNewOnesAtOnce() throws Exception {
        var longpoll = fx.start(live(FeedType.LONGPOLL));
        var continuous = fx.start(live(FeedType.CONTINUOUS));
        longpoll.awaitOutput(text -> !text.isEmpty(), WAIT);
        continuous.awaitOutput(text -> !text.isEmpty(), WAIT);

        fx.service.close();

        assertEquals(0, Json.parse(longpoll.awaitEnd(WAIT)).get("results").size());
        assertTrue(continuous.awaitEnd(WAIT).endsWith("{\"last_seq\":0,\"pending\":0}\n"));
        // A live feed that arrives while the server stops is answered at once, as if its timeout had passed.
        assertEquals(0, Json.parse(fx.start(live(FeedType.LONGPOLL)).awaitEnd(WAIT)).get("results").size());
    }

    @Test
    void liveFeedsPastTheConfiguredMaximumAreRefusedWith503() throws Exception {
        try (FeedFixture small = new FeedFixture(new ChangesConfig(2, 60_000))) {
            var first = small.start(live(FeedType.LONGPOLL));
            small.start(live(FeedType.LONGPOLL));

            var refused = assertThrows(ChangesService.TooManyFeeds.class, () -> small.start(live(FeedType.LONGPOLL)));
            assertEquals(503, refused.status());
            assertEquals("service_unavailable", refused.error());
            small.run(ChangesRequest.normal()); // normal feeds are ordinary requests, never refused

            small.put("{'_id':'a'}");
            first.awaitEnd(WAIT);
            awaitOpenFeeds(small, 0);
            small.start(live(FeedType.LONGPOLL)).feed().cancel();
        }
    }

    private static void awaitOpenFeeds(FeedFixture fixture, int expected) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (fixture.service.openLiveFeeds() != expected && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertEquals(expected, fixture.service.openLiveFeeds());
    }
}
