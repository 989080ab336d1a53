package dev.arbor.server.changes;

import dev.arbor.api.Database;

import java.util.HashMap;
import java.util.Map;

/**
 * The {@link CommitWatch} of each database that has live feeds, created by the first feed and closed
 * (its commit listener removed) when the last one leaves, so a database nobody watches carries no
 * listener. Keyed by the database instance: a deleted and re-created database is a new instance
 * with its own sequence.
 */
final class CommitWatches {
    private static final class Entry {
        final CommitWatch watch;
        int users;

        Entry(CommitWatch watch) {
            this.watch = watch;
        }
    }

    // Guarded by this; acquire and release are rare next to the waiting they bracket.
    private final Map<Database, Entry> entries = new HashMap<>();

    /** The database's watch, shared; give it back with {@link #release}. */
    synchronized CommitWatch acquire(Database db) {
        Entry entry = entries.computeIfAbsent(db, d -> new Entry(new CommitWatch(d)));
        entry.users++;
        return entry.watch;
    }

    synchronized void release(CommitWatch watch) {
        Entry entry = entries.get(watch.database());
        if (entry == null || entry.watch != watch) {
            throw new IllegalStateException("watch released twice or never acquired");
        }
        if (--entry.users == 0) {
            entries.remove(watch.database());
            watch.close();
        }
    }

    /** Databases with a watch now (for tests and monitoring). */
    synchronized int size() {
        return entries.size();
    }
}
