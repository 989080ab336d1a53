package dev.arbor.engine;

import dev.arbor.Arbor;
import dev.arbor.api.Storage;
import dev.arbor.api.contract.PartitionContract;

/** The in-memory engine offers partitioned databases as the contract says. */
class MemoryPartitionContractTest extends PartitionContract {
    @Override
    protected Storage newStorage() {
        return Arbor.inMemoryStorage();
    }
}
