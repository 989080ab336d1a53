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
 * transport intact. This class runs them over the WebSocket; {@link QuicContractTest} inherits every suite and runs it
 * over QUIC. One server for the suite on a loopback port; each test gets it emptied of databases. The few
 * documents tests that also use another facet (the changes feed, an attachment) are reported as
 * skipped by {@link UncarriedFacets}, naming the facet.
 */
class ProtocolContractTest {
    @RegisterExtension
    static final LoopbackServer server = LoopbackServer.withQuic();

    @RegisterExtension
    static final UncarriedFacets UNCARRIED = new UncarriedFacets();

    /** Where the client connects: the transport these suites run over. */
    URI location() {
        return URI.create("ws://127.0.0.1:" + server.uri().getPort() + "/");
    }

    /** A database's name as the client reports it: its URL on the server, without credentials or query. */
    String expectedName(String dbName) {
        URI at = location();
        return at.getScheme() + "://" + at.getHost() + ":" + at.getPort() + "/" + dbName + "/";
    }

    Storage emptiedStorage() {
        ProtocolStorage storage = new ProtocolStorage(ProtocolConnection.open(location(), Duration.ofSeconds(30)));
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
            return ProtocolContractTest.this.expectedName(dbName);
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
            return ProtocolContractTest.this.expectedName(dbName);
        }
    }
}
