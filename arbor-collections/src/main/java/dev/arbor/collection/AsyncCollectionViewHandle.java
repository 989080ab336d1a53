package dev.arbor.collection;

import dev.arbor.api.view.typed.GroupedReduction;
import dev.arbor.api.view.typed.TypedQuery;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * {@link CollectionViewHandle}'s queries under the same names, each run on its own virtual thread (as
 * {@link AsyncCollectionHandle}'s operations) and answered by a {@link CompletableFuture}.
 */
public final class AsyncCollectionViewHandle<T, P, K, V> {
    private final CollectionViewHandle<T, P, K, V> blocking;

    AsyncCollectionViewHandle(CollectionViewHandle<T, P, K, V> blocking) {
        this.blocking = blocking;
    }

    public CollectionViewHandle<T, P, K, V> blocking() {
        return blocking;
    }

    public CompletableFuture<List<CollectionViewRow<K, V, P>>> query(TypedQuery<K> query) {
        return AsyncCollectionHandle.run(() -> blocking.query(query));
    }

    public CompletableFuture<List<CollectionViewDocument<K, V, T, P>>> queryWithDocs(TypedQuery<K> query) {
        return AsyncCollectionHandle.run(() -> blocking.queryWithDocs(query));
    }

    public CompletableFuture<V> reduce(TypedQuery<K> query) {
        return AsyncCollectionHandle.run(() -> blocking.reduce(query));
    }

    public CompletableFuture<List<GroupedReduction<K, V>>> reduceGrouped(TypedQuery<K> query) {
        return AsyncCollectionHandle.run(() -> blocking.reduceGrouped(query));
    }

    public CompletableFuture<Long> deleteDocs(TypedQuery<K> query) {
        return AsyncCollectionHandle.run(() -> blocking.deleteDocs(query));
    }
}
