package dev.arbor.server.changes;

import dev.arbor.api.Database;
import dev.arbor.api.Subscription;
import dev.arbor.core.json.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Thousands of idle live feeds: they park virtual threads on one shared commit watch, so they need
 * neither platform threads nor a commit listener each, and one write wakes them all.
 */
class IdleFeedsTest {
    private static final int FEEDS = 2_000;
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final FeedFixture fx = new FeedFixture();

    @AfterEach
    void close() {
        fx.close();
    }

    /** The fixture's database, counting the commit listeners registered on it (and still registered). */
    private static Database countingListeners(Database db, AtomicInteger registered) {
        return (Database) Proxy.newProxyInstance(Database.class.getClassLoader(), new Class<?>[] {Database.class},
                (proxy, method, args) -> {
                    try {
                        Object result = method.invoke(db, args);
                        if (method.getName().equals("onCommit")) {
                            registered.incrementAndGet();
                            Subscription subscription = (Subscription) result;
                            return (Subscription) () -> {
                                registered.decrementAndGet();
                                subscription.close();
                            };
                        }
                        return result;
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private static long platformThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(thread -> !thread.isVirtual()).count();
    }

    @Test
    void twoThousandIdleLongpollsShareOneListenerNeedNoPlatformThreadsAndAllReturnOnOneWrite() throws Exception {
        AtomicInteger listeners = new AtomicInteger();
        Database db = countingListeners(fx.db, listeners);
        long platformBefore = platformThreads();

        List<FeedFixture.Running> feeds = new ArrayList<>();
        for (int i = 0; i < FEEDS; i++) {
            feeds.add(fx.start(db, ChangesRequest.normal().feed(FeedType.LONGPOLL).since(new Since.Now())));
        }
        for (FeedFixture.Running feed : feeds) {
            feed.awaitOutput(text -> !text.isEmpty(), WAIT);
        }

        assertEquals(FEEDS, fx.service.openLiveFeeds());
        assertEquals(1, listeners.get(), "one commit listener for the database, not one per feed");
        long platformWhileWaiting = platformThreads();
        assertTrue(platformWhileWaiting - platformBefore < 50,
                "parked feeds hold no platform threads: " + platformBefore + " before, " + platformWhileWaiting + " while waiting");

        fx.put("{'_id':'wake'}");

        for (FeedFixture.Running feed : feeds) {
            var body = Json.parse(feed.awaitEnd(WAIT));
            assertEquals("wake", body.get("results").get(0).get("id").asText());
        }
        // A feed's body is complete before its thread leaves the service's count, so the count may lag the bodies a little.
        long deadline = System.nanoTime() + WAIT.toNanos();
        while ((fx.service.openLiveFeeds() != 0 || listeners.get() != 0) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(0, fx.service.openLiveFeeds());
        assertEquals(0, listeners.get(), "the last feed out removes the listener");
    }
}
