package dev.arbor.collection;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * {@link CollectionHandle}'s operations under the same names, each run on its own virtual thread and answered by a
 * {@link CompletableFuture} (completed exceptionally with the blocking call's {@link dev.arbor.core.error.ArborException}).
 * Virtual threads park cheaply while the database commits, so thousands of operations in flight cost little.
 */
public final class AsyncCollectionHandle<T, K> {
    /** A new virtual thread per operation: nothing to size, nothing to shut down. */
    static final Executor VIRTUAL_THREADS = task -> Thread.ofVirtual().name("arbor-collections").start(task);

    private final CollectionHandle<T, K> blocking;

    AsyncCollectionHandle(CollectionHandle<T, K> blocking) {
        this.blocking = blocking;
    }

    /** The blocking handle these operations run. */
    public CollectionHandle<T, K> blocking() {
        return blocking;
    }

    public CompletableFuture<CollectionDocument<T, K>> push(T record) {
        return run(() -> blocking.push(record));
    }

    public CompletableFuture<CollectionDocument<T, K>> insert(K id, T record) {
        return run(() -> blocking.insert(id, record));
    }

    public CompletableFuture<Optional<CollectionDocument<T, K>>> get(K id) {
        return run(() -> blocking.get(id));
    }

    public CompletableFuture<List<CollectionDocument<T, K>>> getMultiple(Iterable<K> ids) {
        return run(() -> blocking.getMultiple(ids));
    }

    public CompletableFuture<List<CollectionDocument<T, K>>> list() {
        return run(blocking::list);
    }

    public CompletableFuture<List<CollectionDocument<T, K>>> list(KeyRange<K> range, long limit, boolean descending) {
        return run(() -> blocking.list(range, limit, descending));
    }

    public CompletableFuture<Long> count() {
        return run(blocking::count);
    }

    public CompletableFuture<CollectionDocument<T, K>> update(CollectionDocument<T, K> doc) {
        return run(() -> blocking.update(doc));
    }

    public CompletableFuture<CollectionDocument<T, K>> overwrite(K id, T record) {
        return run(() -> blocking.overwrite(id, record));
    }

    public CompletableFuture<Void> delete(CollectionDocument<T, K> doc) {
        return run(() -> {
            blocking.delete(doc);
            return null;
        });
    }

    /**
     * The view's queries as futures. Getting the handle blocks, as {@link CollectionHandle#view} does: it only
     * looks the view up when the schema registered it on open.
     */
    public <VK, VV> AsyncCollectionViewHandle<T, K, VK, VV> view(CollectionView<T, VK, VV> view) {
        return blocking.view(view).async();
    }

    static <R> CompletableFuture<R> run(Supplier<R> operation) {
        return CompletableFuture.supplyAsync(operation, VIRTUAL_THREADS);
    }
}
