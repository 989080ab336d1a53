package dev.arbor.engine;

import dev.arbor.Arbor;
import dev.arbor.api.Storage;
import dev.arbor.api.contract.LiveQueriesContract;

/** Live queries of the in-memory engine honour their contract. */
class MemoryLiveQueriesTest extends LiveQueriesContract {
    @Override
    protected Storage newStorage() {
        return Arbor.inMemoryStorage();
    }
}
