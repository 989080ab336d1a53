/**
 * The Arbor protocol: the Java API's calls as binary CBOR frames on one WebSocket connection, shared by the
 * server's endpoint and the Java client so the two ends cannot drift apart. Not a Java API of its own.
 *
 * <p>{@code @SuppressWarnings("module")}: the qualified exports name modules built after this one.
 */
@SuppressWarnings("module")
module dev.arbor.protocol {
    requires transitive dev.arbor.api;
    requires dev.arbor.wire;
    requires com.fasterxml.jackson.dataformat.cbor;

    exports dev.arbor.protocol to dev.arbor.client, dev.arbor.server;
}
