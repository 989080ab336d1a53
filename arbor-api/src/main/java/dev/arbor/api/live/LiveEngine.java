package dev.arbor.api.live;

import dev.arbor.api.Database;
import dev.arbor.core.error.ArborException;

import java.util.Objects;

/**
 * Live queries over one {@link Database}'s contract. Each subscription registers its own commit listener, which
 * only wakes it: the listener runs on the database's writer thread, so it counts the wake and, if the subscription
 * is idle, starts a virtual thread that computes it. That thread reads the changes feed, Mango or the view, so the
 * writer never waits for a subscriber. Stateless itself.
 */
final class LiveEngine implements LiveQueries {
    private final Database database;

    LiveEngine(Database database) {
        this.database = Objects.requireNonNull(database, "database");
    }

    @Override
    public LiveQuery subscribe(LiveSpec spec, int capacity) {
        return open(spec, null, capacity);
    }

    @Override
    public LiveQuery resume(LiveSpec spec, LiveResult from, int capacity) {
        return open(spec, Objects.requireNonNull(from, "from"), capacity);
    }

    /** Loads the first result on the caller's thread, so a malformed query or a missing view fails the call itself. */
    private LiveQuery open(LiveSpec spec, LiveResult from, int capacity) {
        if (capacity < 1) {
            throw new ArborException.BadRequest("bad_request", "a live query's capacity must be at least 1, not " + capacity);
        }
        LiveSubscription subscription = new LiveSubscription(spec, Window.of(database, spec), capacity);
        subscription.start(from);
        subscription.listenTo(database);
        return subscription;
    }
}
