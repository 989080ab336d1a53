package dev.arbor.server.protocol;

import java.net.URI;

/** The live queries' contract of {@link LiveQueriesOverProtocolTest}, its deltas pushed over QUIC instead. */
class LiveQueriesOverQuicTest extends LiveQueriesOverProtocolTest {
    @Override
    URI location() {
        return server.quicUri();
    }
}
