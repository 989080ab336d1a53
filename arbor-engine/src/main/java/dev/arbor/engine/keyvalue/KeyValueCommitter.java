package dev.arbor.engine.keyvalue;

import java.util.function.Function;

/**
 * Runs work in the database's next group commit (the same single writer as document writes) and
 * returns its result once committed, with the database's durability. Work that throws leaves nothing
 * staged and the exception reaches the caller.
 */
@FunctionalInterface
public interface KeyValueCommitter {
    <R> R commit(Function<KeyValueWrites, R> work);
}
