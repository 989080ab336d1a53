package dev.arbor.server.protocol;

import java.net.URI;

/**
 * Every contract suite of {@link ProtocolContractTest}, inherited with its set-up, run over QUIC
 * ({@code arbor://127.0.0.1:<quic port>}, the server's self-signed certificate pinned) instead of the WebSocket: the
 * transports must be indistinguishable to the API.
 */
class QuicContractTest extends ProtocolContractTest {
    @Override
    URI location() {
        return server.quicUri();
    }
}
