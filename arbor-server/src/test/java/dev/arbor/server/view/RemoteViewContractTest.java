package dev.arbor.server.view;

import dev.arbor.api.Storage;
import dev.arbor.api.contract.ViewContract;
import dev.arbor.server.contract.LoopbackServer;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The view contract through the remote client against Arbor's own server: the client's {@code _view},
 * {@code _info} and {@code _view_cleanup} calls and the server's endpoints must carry every detail across.
 */
class RemoteViewContractTest extends ViewContract {
    @RegisterExtension
    static final LoopbackServer server = new LoopbackServer();

    @Override
    protected Storage newStorage() {
        return server.emptiedStorage();
    }
}
