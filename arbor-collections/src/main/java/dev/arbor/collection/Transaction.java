package dev.arbor.collection;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.api.AtomicWrite;
import dev.arbor.api.DocResult;

import java.util.ArrayList;
import java.util.List;
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

    /** Adds a record under a key the collection assigns now (its counter, generator or natural id). */
    public <T, K> Transaction push(Collection<T, K> collection, T record) {
        K id = switch (collection.idAssignment()) {
            case IdAssignment.Natural<T, K> natural -> natural.naturalId().apply(record);
            case IdAssignment.Generated<T, K> generated -> generated.generator().get();
            case IdAssignment.Sequence<T, K> sequence -> sequence.fromCounter().apply(database.sequences().next(collection));
            case IdAssignment.Explicit<T, K> none -> throw new IllegalArgumentException(collection + " assigns no keys");
        };
        return insert(collection, id, record);
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
        List<DocResult.Ok> results = database.database().bulkDocsAllOrNothing(List.copyOf(writes));
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

    private static <T, K> Operation<T, K> withRev(Operation<T, K> op, String rev) {
        return new Operation<>(op.collection(), op.id(), rev);
    }
}
