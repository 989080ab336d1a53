package dev.arbor.engine;

import dev.arbor.Arbor;
import dev.arbor.api.Storage;
import dev.arbor.api.contract.ViewContract;

/** The in-memory engine answers view queries as the contract says. */
class MemoryViewContractTest extends ViewContract {
    @Override
    protected Storage newStorage() {
        return Arbor.inMemoryStorage();
    }
}
