package dev.arbor.server.protocol;

import dev.arbor.api.Storage;
import dev.arbor.api.contract.DocumentsContract;
import dev.arbor.api.contract.StorageContract;
import dev.arbor.client.protocol.ProtocolConnection;
import dev.arbor.client.protocol.ProtocolStorage;
import dev.arbor.server.contract.LoopbackServer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.time.Duration;

/**
 * The Java client over the Arbor protocol against Arbor's own server: the contracts of the facets the protocol carries
 * (storage and documents), with no known differences allowed, so each call's arguments and results must cross the
 * WebSocket intact. One server for the suite on a loopback port; each test gets it emptied of databases. The few
 * documents tests that also use another facet (the changes feed, an attachment) are reported as
 * skipped by {@link UncarriedFacets}, naming the facet.
 */
class ProtocolContractTest {
    @RegisterExtension
    static final LoopbackServer server = new LoopbackServer();

    @RegisterExtension
    static final UncarriedFacets UNCARRIED = new UncarriedFacets();

    private static URI ws() {
        return URI.create("ws://127.0.0.1:" + server.uri().getPort() + "/");
    }

    private static String expectedName(String dbName) {
        return ws().resolve(dbName + "/").toString();
    }

    private static Storage emptiedStorage() {
        ProtocolStorage storage = new ProtocolStorage(ProtocolConnection.open(ws(), Duration.ofSeconds(30)));
        for (String name : storage.listDatabases()) {
            storage.deleteDatabase(name);
        }
        return storage;
    }

    @Nested
    class StorageFacet extends StorageContract {
        @Override
        protected Storage newStorage() {
            return emptiedStorage();
        }

        @Override
        protected String expectedName(String dbName) {
            return ProtocolContractTest.expectedName(dbName);
        }
    }

    @Nested
    class DocumentsFacet extends DocumentsContract {
        @Override
        protected Storage newStorage() {
            return emptiedStorage();
        }

        @Override
        protected String expectedName(String dbName) {
            return ProtocolContractTest.expectedName(dbName);
        }
    }
}
