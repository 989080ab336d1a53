package dev.arbor.server.find;

import dev.arbor.api.Storage;
import dev.arbor.api.contract.FindContract;
import dev.arbor.server.contract.LoopbackServer;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Mango contract through the remote client against Arbor's own server: the client's {@code _find},
 * {@code _explain} and {@code _index} calls and the server's endpoints must carry every detail across.
 */
class RemoteFindContractTest extends FindContract {
    @RegisterExtension
    static final LoopbackServer server = new LoopbackServer();

    @Override
    protected Storage newStorage() {
        return server.emptiedStorage();
    }
}
