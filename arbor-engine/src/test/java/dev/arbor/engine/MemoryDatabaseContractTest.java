package dev.arbor.engine;

import dev.arbor.Arbor;
import dev.arbor.api.Storage;
import dev.arbor.api.contract.DatabaseContract;

/** The in-memory engine honours the whole database contract. */
class MemoryDatabaseContractTest extends DatabaseContract {
    @Override
    protected Storage newStorage() {
        return Arbor.inMemoryStorage();
    }
}
