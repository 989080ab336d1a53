package dev.arbor.collection;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.api.Database;
import dev.arbor.api.keyvalue.KeyValueStore;
import dev.arbor.api.keyvalue.Overflow;
import dev.arbor.core.error.ArborException;
import dev.arbor.core.json.Json;

/**
 * The persisted counters of {@link IdAssignment.Sequence} collections, one per collection.
 *
 * <p>Where the database has a key-value store (the engine) a counter is a key of namespace {@value #NAMESPACE},
 * advanced by its atomic {@code increment}: one commit, no retries, exact under any number of threads. Elsewhere
 * (a remote CouchDB) it is the local document {@code _local/arbor-sequence:<collection>}, advanced by
 * compare-and-swap on its revision; local documents are never replicated, so two replicas count on their own,
 * which is why a pushed id that already exists is skipped rather than overwritten.
 *
 * <p>Thread-safe: all state is in the database.
 */
final class IdSequences {
    static final String NAMESPACE = "arbor.collections.sequence";

    private final Database database;
    /** The counters' store; null when the database has none (then the local-document counters). */
    private final KeyValueStore counters;

    IdSequences(Database database) {
        this.database = database;
        this.counters = keyValueOf(database);
    }

    private static KeyValueStore keyValueOf(Database database) {
        return database.keyValue().map(store -> store.namespace(NAMESPACE)).orElse(null);
    }

    /** The next value of {@code collection}'s counter (0 first), never handed out before. */
    long next(Collection<?, ?> collection) {
        return reserve(collection, 1);
    }

    /**
     * Takes {@code count} consecutive values of {@code collection}'s counter in one step (one commit) and returns
     * the first; none of them was handed out before or will be again.
     */
    long reserve(Collection<?, ?> collection, long count) {
        if (count < 1) {
            throw new IllegalArgumentException("reserve at least one value: " + count);
        }
        if (counters != null) {
            return counters.increment(collection.qualifiedName(), count, Overflow.CHECKED) - count;
        }
        String id = "_local/arbor-sequence:" + collection.qualifiedName();
        while (true) {
            ObjectNode current;
            try {
                current = database.getLocal(id);
            } catch (ArborException.NotFound missing) {
                current = null;
            }
            long next = current == null ? 0 : current.path("next").asLong();
            ObjectNode advanced = Json.object().put("_id", id).put("next", Math.addExact(next, count));
            if (current != null) {
                advanced.put("_rev", current.path("_rev").asText());
            }
            try {
                database.putLocal(advanced);
                return next;
            } catch (ArborException.Conflict raced) {
                // Another pusher advanced it first: read again.
            }
        }
    }
}
