package dev.arbor.engine.keyvalue;

import dev.arbor.engine.kv.KvReader;

import java.time.InstantSource;

/**
 * Every operation is one task of the database writer: it reads the key through the group being
 * committed (so operations on one key in one group see each other), and returns once committed. The
 * writer's one-at-a-time commit is what makes each operation atomic.
 */
final class ImmediateMode implements WriteMode {
    private final KvReader committed;
    private final KeyValueCommitter committer;
    private final InstantSource clock;

    ImmediateMode(KvReader committed, KeyValueCommitter committer, InstantSource clock) {
        this.committed = committed;
        this.committer = committer;
        this.clock = clock;
    }

    @Override
    public <R> R apply(byte[] key, KeyOperation<R> operation) {
        return committer.commit(writes -> {
            StoredEntry stored = EntryTable.read(writes, key);
            long now = clock.millis();
            KeyOperation.Outcome<R> outcome = operation.apply(stored != null && stored.aliveAt(now) ? stored : null, now);
            if (outcome.write()) {
                EntryTable.write(writes, key, stored, outcome.next());
            }
            return outcome.result();
        });
    }

    @Override
    public StoredEntry read(byte[] key) {
        return StoredEntry.decode(committed.get(KeyValueSpaces.KV, key));
    }

    @Override
    public void close() {
        // Nothing is buffered: every operation was committed before it returned.
    }
}
