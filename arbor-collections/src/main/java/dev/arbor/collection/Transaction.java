package dev.arbor.collection;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.api.AtomicWrite;
import dev.arbor.api.DocResult;
import dev.arbor.core.error.ArborException;
import dev.arbor.api.Database;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Operations on collections of one database that commit together or not at all, BonsaiDb's {@code Transaction}.
 * Each operation keeps its own check: {@code insert} needs a free key, {@code update} and {@code delete} the
 * current revision; {@code overwrite} has none. The first failing check fails {@link #commit()} with a
 * {@code conflict} naming the operation's position and document, and nothing is written.
 *
 * <p>Built on {@link dev.arbor.api.Database#bulkDocsAllOrNothing}, which the embedded engine has and a remote
 * CouchDB has not ({@code not_supported}). Not thread-safe: build it on one thread, then commit.
 */
public final class Transaction {
    private final CollectionDatabase database;
    private final List<AtomicWrite> writes = new ArrayList<>();
    private final List<Operation<?, ?>> operations = new ArrayList<>();
    /**
     * Pushes to counter-keyed collections, keyed at {@link #commit()}: one counter step per collection for the
     * whole transaction rather than one per record (each step is a commit of its own: on a durable database, an
     * fsync per pushed record made a transaction of 1,000 pushes a thousand times slower than its inserts).
     */
    private final List<PendingPush<?, ?>> pendingPushes = new ArrayList<>();

    /** A pushed record whose key its collection's counter assigns at commit; {@code position} in {@code writes}. */
    private record PendingPush<T, K>(int position, Collection<T, K> collection, IdAssignment.Sequence<T, K> sequence) {}

    /** One operation as committed: its collection, key and new revision. */
    public record Operation<T, K>(Collection<T, K> collection, K id, String rev) {}

    Transaction(CollectionDatabase database) {
        this.database = database;
    }

    /** Adds a new record under {@code id}; the commit fails if the collection has a record there. */
    public <T, K> Transaction insert(Collection<T, K> collection, K id, T record) {
        ObjectNode doc = collection.toBody(record);
        doc.put("_id", collection.docId(id));
        return add(collection, id, new AtomicWrite.Edit(doc));
    }

    /**
     * Adds a record under a key the collection assigns: its natural id or a generated key now, its counter's next
     * value at {@link #commit()} (the counter values of a commit that fails are not reused).
     */
    public <T, K> Transaction push(Collection<T, K> collection, T record) {
        K id = switch (collection.idAssignment()) {
            case IdAssignment.Natural<T, K> natural -> natural.naturalId().apply(record);
            case IdAssignment.Generated<T, K> generated -> generated.generator().get();
            case IdAssignment.Sequence<T, K> sequence -> {
                pendingPushes.add(new PendingPush<>(writes.size(), collection, sequence));
                add(collection, null, new AtomicWrite.Edit(collection.toBody(record)));
                yield null;
            }
            case IdAssignment.Explicit<T, K> none -> throw new IllegalArgumentException(collection + " assigns no keys");
        };
        return id == null ? this : insert(collection, id, record);
    }

    /** Replaces the record of {@code doc}'s key; the commit fails unless {@code doc}'s revision is current. */
    public <T, K> Transaction update(Collection<T, K> collection, CollectionDocument<T, K> doc) {
        ObjectNode body = collection.toBody(doc.contents());
        body.put("_id", collection.docId(doc.id()));
        body.put("_rev", doc.header().rev());
        return add(collection, doc.id(), new AtomicWrite.Edit(body));
    }

    /** Stores {@code record} under {@code id} whatever is there. */
    public <T, K> Transaction overwrite(Collection<T, K> collection, K id, T record) {
        ObjectNode doc = collection.toBody(record);
        doc.put("_id", collection.docId(id));
        return add(collection, id, new AtomicWrite.Overwrite(doc));
    }

    /** Deletes the record; the commit fails unless {@code doc}'s revision is current. */
    public <T, K> Transaction delete(Collection<T, K> collection, CollectionDocument<T, K> doc) {
        ObjectNode tombstone = dev.arbor.core.json.Json.object()
                .put("_id", collection.docId(doc.id())).put("_rev", doc.header().rev()).put("_deleted", true);
        return add(collection, doc.id(), new AtomicWrite.Edit(tombstone));
    }

    private <T, K> Transaction add(Collection<T, K> collection, K id, AtomicWrite write) {
        database.requireInSchema(collection);
        writes.add(write);
        operations.add(new Operation<>(collection, id, null));
        return this;
    }

    /** How many operations are queued. */
    public int size() {
        return writes.size();
    }

    /** Commits every operation or none; returns them with their new revisions, in the order added. */
    public List<Operation<?, ?>> commit() {
        assignPushedKeys();
        Database target = database.database();
        List<DocResult.Ok> results = target.atomicWrites()
                .orElseThrow(() -> new ArborException.BadRequest("not_supported", "database " + target.name()
                        + " cannot write several documents atomically (CouchDB has had no all_or_nothing since 2.0),"
                        + " so a transaction needs an embedded database"))
                .bulkDocsAllOrNothing(List.copyOf(writes));
        List<Operation<?, ?>> committed = new ArrayList<>(results.size());
        for (int i = 0; i < results.size(); i++) {
            committed.add(withRev(operations.get(i), results.get(i).rev()));
        }
        return committed;
    }

    /** {@link #commit()} on a virtual thread. */
    public CompletableFuture<List<Operation<?, ?>>> commitAsync() {
        return AsyncCollectionHandle.run(this::commit);
    }

    /** Gives every pending push its key: per collection, one block of counter values, in the order pushed. */
    private void assignPushedKeys() {
        Map<Collection<?, ?>, List<PendingPush<?, ?>>> byCollection = new LinkedHashMap<>();
        for (PendingPush<?, ?> push : pendingPushes) {
            byCollection.computeIfAbsent(push.collection(), c -> new ArrayList<>()).add(push);
        }
        for (var entry : byCollection.entrySet()) {
            long next = database.sequences().reserve(entry.getKey(), entry.getValue().size());
            for (PendingPush<?, ?> push : entry.getValue()) {
                assignKey(push, next++);
            }
        }
        pendingPushes.clear();
    }

    private <T, K> void assignKey(PendingPush<T, K> push, long counterValue) {
        K id = push.sequence().fromCounter().apply(counterValue);
        ((AtomicWrite.Edit) writes.get(push.position())).doc().put("_id", push.collection().docId(id));
        operations.set(push.position(), new Operation<>(push.collection(), id, null));
    }

    private static <T, K> Operation<T, K> withRev(Operation<T, K> op, String rev) {
        return new Operation<>(op.collection(), op.id(), rev);
    }
}
