package dev.arbor.server.contract;

import dev.arbor.api.Storage;
import dev.arbor.api.contract.DatabaseContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The remote client against Arbor's own server: the whole database contract over HTTP, with no known
 * differences allowed. The server runs in this JVM on an ephemeral loopback port over a RocksDB storage
 * in a temp directory; each test gets it emptied of databases.
 */
class ArborServerContractTest extends DatabaseContract {
    @RegisterExtension
    static final LoopbackServer server = new LoopbackServer();

    @Override
    protected String expectedName(String dbName) {
        return server.uri().resolve(dbName + "/").toString();
    }

    @Override
    protected Storage newStorage() {
        return server.emptiedStorage();
    }
}
