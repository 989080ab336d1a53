package dev.arbor.replication;

import dev.arbor.Arbor;
import dev.arbor.api.Storage;

import java.nio.file.Path;

/** The two engines every replication test runs on. */
enum Engine {
    ROCKSDB, MEMORY;

    Storage storage(Path dir) {
        return this == ROCKSDB ? Arbor.storage(dir) : Arbor.inMemoryStorage();
    }
}
