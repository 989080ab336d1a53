package dev.arbor.engine.keyvalue;

import dev.arbor.engine.kv.KvCursor;
import dev.arbor.engine.kv.KvReader;

import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;

/**
 * Reclaims the storage of expired entries. Reads already treat them as absent; this only deletes
 * them. It finds candidates in the committed expiration index (a range scan, no lock), then deletes
 * them in a writer task that checks each entry again, since it may have been rewritten in between.
 */
final class ExpirationReaper {
    /** Entries deleted per writer task, so reclaiming a large backlog never makes one huge commit. */
    static final int BATCH = 1000;

    private record Candidate(byte[] indexKey, byte[] entryKey, long expiresAt) {}

    private final KvReader committed;
    private final KeyValueCommitter committer;
    private final InstantSource clock;

    ExpirationReaper(KvReader committed, KeyValueCommitter committer, InstantSource clock) {
        this.committed = committed;
        this.committer = committer;
        this.clock = clock;
    }

    /** Deletes every entry expired by now; returns how many. */
    long reclaim() {
        long reclaimed = 0;
        while (true) {
            long now = clock.millis();
            List<Candidate> candidates = expiredBy(now);
            if (candidates.isEmpty()) {
                return reclaimed;
            }
            reclaimed += committer.commit(writes -> {
                int deleted = 0;
                for (Candidate c : candidates) {
                    StoredEntry stored = EntryTable.read(writes, c.entryKey());
                    if (stored != null && stored.expiresAt() == c.expiresAt()) {
                        EntryTable.write(writes, c.entryKey(), stored, null);
                        deleted++;
                    } else {
                        // The entry was rewritten with another expiry (which has its own index key) or deleted.
                        writes.delete(c.indexKey());
                    }
                }
                return deleted;
            });
            if (candidates.size() < BATCH) {
                return reclaimed;
            }
        }
    }

    private List<Candidate> expiredBy(long now) {
        List<Candidate> found = new ArrayList<>();
        try (KvCursor cursor = committed.scan(KeyValueSpaces.KV, KeyLayout.expiryStart(), KeyLayout.expiryEndAfter(now), false)) {
            while (found.size() < BATCH && cursor.next()) {
                byte[] indexKey = cursor.key();
                found.add(new Candidate(indexKey, KeyLayout.entryKeyOf(indexKey), KeyLayout.expiresAtOf(indexKey)));
            }
        }
        return found;
    }
}
