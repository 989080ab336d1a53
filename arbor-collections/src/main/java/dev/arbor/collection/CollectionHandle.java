package dev.arbor.collection;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.api.AllDocsOptions;
import dev.arbor.api.AllDocsRow;
import dev.arbor.api.Database;
import dev.arbor.api.DocResult;
import dev.arbor.api.view.typed.ViewHandle;
import dev.arbor.core.error.ArborException;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One collection of one database: BonsaiDb's collection operations ({@code push}, {@code insert}, {@code get},
 * {@code get_multiple}, {@code list}, {@code update}, {@code overwrite}, {@code delete}, {@code count}), blocking.
 * {@link #async()} gives the same operations returning futures.
 *
 * <p>Thread-safe: it holds no state besides the database, which serialises writes. Errors are
 * {@link ArborException}s: {@code conflict} for an id taken or a stale revision, {@code not_found} for a missing
 * record on {@code update}/{@code delete}.
 */
public final class CollectionHandle<T, K> {
    private final Database database;
    private final Collection<T, K> collection;
    private final IdSequences sequences;

    CollectionHandle(Database database, Collection<T, K> collection, IdSequences sequences) {
        this.database = database;
        this.collection = collection;
        this.sequences = sequences;
    }

    public Collection<T, K> collection() {
        return collection;
    }

    /** The same operations, each run on a virtual thread and answered by a {@link java.util.concurrent.CompletableFuture}. */
    public AsyncCollectionHandle<T, K> async() {
        return new AsyncCollectionHandle<>(this);
    }

    /**
     * Stores a new record under a key the collection assigns ({@link IdAssignment}): the next counter value, a
     * generated key, or the record's natural id. A natural id that exists already is a {@code conflict}; a counter
     * value whose id was taken by an {@link #insert} is skipped for the next one. A unique view refusing the record
     * is a {@code conflict} too.
     */
    public CollectionDocument<T, K> push(T record) {
        return switch (collection.idAssignment()) {
            case IdAssignment.Natural<T, K> natural -> insert(natural.naturalId().apply(record), record);
            case IdAssignment.Generated<T, K> generated -> insert(generated.generator().get(), record);
            case IdAssignment.Sequence<T, K> sequence -> {
                while (true) {
                    K id = sequence.fromCounter().apply(sequences.next(collection));
                    try {
                        yield insert(id, record);
                    } catch (ArborException.Conflict conflict) {
                        // An explicit insert may hold this key: counter values are never reused, so take the next.
                        // Any other conflict (a unique view refusing the record) is the caller's to see; retrying
                        // it with the next key would loop for ever.
                        if (get(id).isEmpty()) {
                            throw conflict;
                        }
                    }
                }
            }
            case IdAssignment.Explicit<T, K> none -> throw new ArborException.BadRequest("bad_request",
                    collection + " assigns no keys (no sequence, generator or natural id); insert with a key");
        };
    }

    /** Stores a new record under {@code id}; {@code conflict} when the collection has a record there. */
    public CollectionDocument<T, K> insert(K id, T record) {
        ObjectNode doc = collection.toBody(record);
        doc.put("_id", collection.docId(id));
        DocResult.Ok ok = database.put(doc);
        return new CollectionDocument<>(new CollectionDocument.Header<>(id, ok.rev()), record);
    }

    public Optional<CollectionDocument<T, K>> get(K id) {
        try {
            return Optional.of(document(database.get(collection.docId(id))));
        } catch (ArborException.NotFound missing) {
            return Optional.empty();
        }
    }

    /** The records of the keys that exist, in the order asked; missing and deleted keys are left out. */
    public List<CollectionDocument<T, K>> getMultiple(Iterable<K> ids) {
        List<String> docIds = new ArrayList<>();
        ids.forEach(id -> docIds.add(collection.docId(id)));
        if (docIds.isEmpty()) {
            return List.of();
        }
        List<CollectionDocument<T, K>> found = new ArrayList<>();
        for (AllDocsRow row : database.allDocs(AllDocsOptions.DEFAULT.keys(docIds).includeDocs(true)).rows()) {
            if (row.doc() != null) {
                found.add(document(row.doc()));
            }
        }
        return found;
    }

    /** Every record, in key order. */
    public List<CollectionDocument<T, K>> list() {
        return list(KeyRange.all(), -1, false);
    }

    /**
     * The records whose keys are in {@code range}, in key order (or reversed), at most {@code limit} of them
     * ({@code -1}: all).
     */
    public List<CollectionDocument<T, K>> list(KeyRange<K> range, long limit, boolean descending) {
        List<CollectionDocument<T, K>> found = new ArrayList<>();
        for (AllDocsRow row : rows(range, limit, descending, true)) {
            found.add(document(row.doc()));
        }
        return found;
    }

    /** How many records the collection holds. */
    public long count() {
        return count(KeyRange.all());
    }

    public long count(KeyRange<K> range) {
        return rows(range, -1, false, false).size();
    }

    /**
     * Replaces the record of {@code doc}'s key with {@code doc}'s contents, if {@code doc}'s revision is still the
     * current one; otherwise {@code conflict} (someone changed it since it was read). Returns the new header.
     */
    public CollectionDocument<T, K> update(CollectionDocument<T, K> doc) {
        ObjectNode body = collection.toBody(doc.contents());
        body.put("_id", collection.docId(doc.id()));
        body.put("_rev", doc.header().rev());
        DocResult.Ok ok = database.put(body);
        return new CollectionDocument<>(new CollectionDocument.Header<>(doc.id(), ok.rev()), doc.contents());
    }

    /** Stores {@code record} under {@code id} whatever is there (or nothing): no revision check. */
    public CollectionDocument<T, K> overwrite(K id, T record) {
        String docId = collection.docId(id);
        while (true) {
            ObjectNode body = collection.toBody(record);
            body.put("_id", docId);
            try {
                body.put("_rev", database.get(docId).path("_rev").asText());
            } catch (ArborException.NotFound absent) {
                // Create (or recreate a deleted document): no _rev.
            }
            try {
                DocResult.Ok ok = database.put(body);
                return new CollectionDocument<>(new CollectionDocument.Header<>(id, ok.rev()), record);
            } catch (ArborException.Conflict raced) {
                // Written between our read and our put: read the new revision and write on top of it.
            }
        }
    }

    /** Deletes the record, if {@code doc}'s revision is still the current one; otherwise {@code conflict}. */
    public void delete(CollectionDocument<T, K> doc) {
        database.remove(collection.docId(doc.id()), doc.header().rev());
    }

    /**
     * A view declared on the collection ({@code Collection.builder(...).view(view)}), to query: BonsaiDb's
     * {@code db.view::<View>()}. {@code bad_request} ({@code view_not_in_collection}) for a view not declared on it;
     * {@code not_supported} on a remote database, where the view's Java code cannot run.
     */
    public <VK, VV> CollectionViewHandle<T, K, VK, VV> view(CollectionView<T, VK, VV> view) {
        CollectionTypedView<T, VK, VV> typed = collection.typedView(view);
        // Idempotent: a schema opened through Arbor registered it already (eager and unique ones before the
        // first write); a database bound by hand registers it here, catching up on what is stored.
        ViewHandle<VK, VV> engineView = database.typedViews()
                .orElseThrow(() -> new ArborException.BadRequest("not_supported", "collection view " + typed.name()
                        + " is Java code that runs inside the database's process, so it needs an embedded database;"
                        + " database " + database.name() + " is remote (its other collection operations work)"))
                .view(typed);
        return new CollectionViewHandle<>(this, engineView);
    }

    // ----------------------------------------------------------------------------------------------------------

    CollectionDocument<T, K> document(ObjectNode doc) {
        return collection.document(doc.path("_id").asText(), doc.path("_rev").asText(), doc);
    }

    /** The collection's {@code _all_docs} rows in {@code range}. */
    private List<AllDocsRow> rows(KeyRange<K> range, long limit, boolean descending, boolean includeDocs) {
        String low = range.start() == null ? collection.firstDocId() : collection.docId(range.start());
        String high = range.end() == null ? collection.afterLastDocId() : collection.docId(range.end());
        boolean inclusiveHigh = range.end() != null && range.inclusiveEnd();
        AllDocsOptions options = AllDocsOptions.DEFAULT.includeDocs(includeDocs);
        if (!descending) {
            return database.allDocs(options.startkey(low).endkey(high).inclusiveEnd(inclusiveHigh).limit(limit)).rows();
        }
        // Descending, _all_docs starts at the high bound and always includes it: ask one row more and drop an
        // excluded high bound (only it can be the first row).
        List<AllDocsRow> rows = new ArrayList<>(database.allDocs(options.descending(true).startkey(high).endkey(low)
                .limit(limit < 0 ? -1 : limit + 1)).rows());
        if (!inclusiveHigh && !rows.isEmpty() && rows.getFirst().id().equals(high)) {
            rows.removeFirst();
        }
        return limit >= 0 && rows.size() > limit ? rows.subList(0, (int) limit) : rows;
    }
}
