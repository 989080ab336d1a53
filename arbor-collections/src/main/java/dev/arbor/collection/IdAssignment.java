package dev.arbor.collection;

import java.util.function.Function;
import java.util.function.LongFunction;
import java.util.function.Supplier;

/**
 * How {@link CollectionHandle#push} gives a new record its primary key.
 *
 * @param <T> the record type
 * @param <K> the primary-key type
 */
public sealed interface IdAssignment<T, K> {

    /**
     * From the collection's persisted counter, BonsaiDb's {@code first_value}/{@code next_value}: the first push
     * gets counter value 0, each later one the next value. A value is handed out once and never again, even after
     * its document is deleted or a push fails, and concurrent pushes (threads or processes sharing the database)
     * get distinct values. A value whose id was taken by an explicit {@link CollectionHandle#insert} is skipped.
     */
    record Sequence<T, K>(LongFunction<K> fromCounter) implements IdAssignment<T, K> {}

    /** A fresh key from a generator, such as {@link java.util.UUID#randomUUID}; a collision is a conflict. */
    record Generated<T, K>(Supplier<K> generator) implements IdAssignment<T, K> {}

    /** The key derived from the record itself (BonsaiDb's natural id): pushing a record twice is a conflict. */
    record Natural<T, K>(Function<T, K> naturalId) implements IdAssignment<T, K> {}

    /** No way to assign a key: {@link CollectionHandle#push} is refused; use {@link CollectionHandle#insert}. */
    record Explicit<T, K>() implements IdAssignment<T, K> {}
}
