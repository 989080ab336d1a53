package dev.arbor.engine;

import dev.arbor.Arbor;
import dev.arbor.api.Storage;
import dev.arbor.api.contract.FindContract;

/** The in-memory engine answers Mango queries as the contract says. */
class MemoryFindContractTest extends FindContract {
    @Override
    protected Storage newStorage() {
        return Arbor.inMemoryStorage();
    }
}
