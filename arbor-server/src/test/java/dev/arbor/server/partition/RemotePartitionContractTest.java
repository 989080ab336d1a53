package dev.arbor.server.partition;

import dev.arbor.api.Storage;
import dev.arbor.api.contract.PartitionContract;
import dev.arbor.server.contract.LoopbackServer;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The partition contract through the remote client against Arbor's own server: {@code PUT ?partitioned=true},
 * {@code /_partition/{p}/...} and the id errors must carry every detail across HTTP.
 */
class RemotePartitionContractTest extends PartitionContract {
    @RegisterExtension
    static final LoopbackServer server = new LoopbackServer();

    @Override
    protected Storage newStorage() {
        return server.emptiedStorage();
    }
}
