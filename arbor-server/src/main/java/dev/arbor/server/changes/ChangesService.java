package dev.arbor.server.changes;

import dev.arbor.api.Database;

import java.io.OutputStream;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

/**
 * The server's {@code _changes} feeds: parses requests, admits live feeds up to
 * {@link ChangesConfig#maxOpenFeeds()}, shares one {@link CommitWatch} per database among them, and
 * cancels them all when the server stops. Thread-safe; one instance per server.
 *
 * <p>Use: {@code parser().parse(...)} (throws CouchDB's 400/404 errors), then
 * {@code try (var feed = open(db, request, out)) { feed.run(); }}, with the response headers set from
 * {@link FeedType#contentType()} before {@code run} writes.
 */
public final class ChangesService implements AutoCloseable {

    /** Every live feed slot is taken: the server answers 503 so clients back off and retry. */
    public static final class TooManyFeeds extends RuntimeException {
        TooManyFeeds(int max) {
            super("Too many open _changes feeds (" + max + "); retry later.", null, false, false);
        }

        public int status() {
            return 503;
        }

        public String error() {
            return "service_unavailable";
        }

        public String reason() {
            return getMessage();
        }
    }

    private final ChangesConfig config;
    private final ChangesRequestParser parser;
    private final CommitWatches watches = new CommitWatches();
    private final Semaphore liveSlots;
    private final Set<ChangesFeed> liveFeeds = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    public ChangesService(ChangesConfig config) {
        this.config = config;
        this.parser = new ChangesRequestParser(config);
        this.liveSlots = new Semaphore(config.maxOpenFeeds());
    }

    public ChangesConfig config() {
        return config;
    }

    public ChangesRequestParser parser() {
        return parser;
    }

    /**
     * A feed for {@code request} writing to {@code out}; run it, then close it. Normal feeds are
     * ordinary requests and always admitted; a live feed takes one of the server's slots until closed.
     *
     * <p>Once the service is closing, a live feed still gets an answer, at once: what has changed so far
     * and its trailer, as if its timeout had passed, so a request caught by the shutdown ends cleanly.
     *
     * @throws TooManyFeeds when the request is live and every slot is taken
     */
    public ChangesFeed open(Database db, ChangesRequest request, OutputStream out) {
        if (!request.feed().isLive()) {
            return new ChangesFeed(db, request, watches, out, () -> { });
        }
        if (closed) {
            ChangesFeed ending = new ChangesFeed(db, request, watches, out, () -> { });
            ending.cancel();
            return ending;
        }
        if (!liveSlots.tryAcquire()) {
            throw new TooManyFeeds(config.maxOpenFeeds());
        }
        ChangesFeed[] self = new ChangesFeed[1];
        self[0] = new ChangesFeed(db, request, watches, out, () -> {
            liveFeeds.remove(self[0]);
            liveSlots.release();
        });
        liveFeeds.add(self[0]);
        if (closed) {
            // Raced with close(): its sweep may have missed this feed.
            self[0].cancel();
        }
        return self[0];
    }

    /** Live feeds open now. */
    public int openLiveFeeds() {
        return liveFeeds.size();
    }

    /** Databases whose commits are being watched now (one listener each, however many feeds). */
    int watchedDatabases() {
        return watches.size();
    }

    /** Ends every live feed (each writes its trailer) and admits no more: the server is stopping. */
    @Override
    public void close() {
        closed = true;
        liveFeeds.forEach(ChangesFeed::cancel);
    }
}
