package dev.arbor.engine.keyvalue;

/**
 * One atomic operation on one key, as a pure function of the key's current entry and the time; both
 * persistence modes run it under their own mutual exclusion and store what it decides.
 */
@FunctionalInterface
interface KeyOperation<R> {
    /**
     * @param current the key's entry, or null when it is vacant or expired at {@code now}
     * @param now     the store's clock, epoch milliseconds
     */
    Outcome<R> apply(StoredEntry current, long now);

    /**
     * @param write  whether to store {@code next}
     * @param next   the key's new entry (null: delete it); ignored unless {@code write}
     * @param result what the caller receives
     */
    record Outcome<R>(boolean write, StoredEntry next, R result) {
        static <R> Outcome<R> unchanged(R result) {
            return new Outcome<>(false, null, result);
        }

        static <R> Outcome<R> store(StoredEntry next, R result) {
            return new Outcome<>(true, next, result);
        }

        static <R> Outcome<R> remove(R result) {
            return new Outcome<>(true, null, result);
        }
    }
}
