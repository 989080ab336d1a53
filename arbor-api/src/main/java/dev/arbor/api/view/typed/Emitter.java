package dev.arbor.api.view.typed;

/** Receives the rows a typed view's map emits for one document; a document may emit any number of rows. */
@FunctionalInterface
public interface Emitter<K, V> {
    /** Emits a row; {@code value} may be null (a key-only row, as {@code emit(key)} in JavaScript). */
    void emit(K key, V value);

    /** Emits a key-only row. */
    default void emit(K key) {
        emit(key, null);
    }
}
