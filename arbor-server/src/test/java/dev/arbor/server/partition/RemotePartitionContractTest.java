package dev.arbor.server.partition;

import dev.arbor.Arbor;
import dev.arbor.api.Storage;
import dev.arbor.api.contract.PartitionContract;
import dev.arbor.client.RemoteOptions;
import dev.arbor.client.RemoteStorage;
import dev.arbor.server.ArborServer;
import dev.arbor.server.ServerConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/**
 * The partition contract through the remote client against Arbor's own server: {@code PUT ?partitioned=true},
 * {@code /_partition/{p}/...} and the id errors must carry every detail across HTTP.
 */
class RemotePartitionContractTest extends PartitionContract {
    @TempDir
    static Path root;
    private static ArborServer server;

    @BeforeAll
    static void startServer() throws Exception {
        server = ArborServer.builder(ServerConfig.defaults(root).withPort(0).withAccessLog(false),
                Arbor.storage(root.resolve("data"))).start();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    /** Each test starts from no databases: the contract creates "pdb" and sometimes "plain". */
    @Override
    protected Storage newStorage() {
        RemoteStorage storage = new RemoteStorage(server.uri(), RemoteOptions.DEFAULT);
        for (String name : new String[]{"pdb", "plain"}) {
            if (storage.exists(name)) {
                storage.deleteDatabase(name);
            }
        }
        return storage;
    }
}
