/**
 * CouchDB's HTTP JSON, the one encoding the server and the remote client share. Not part of the Java API: an
 * embedded application never sees an HTTP body, so its packages are exported to the HTTP front ends only.
 *
 * <p>{@code @SuppressWarnings("module")}: the qualified exports name modules built after this one, which javac
 * reports as not found while compiling it.
 */
@SuppressWarnings("module")
module dev.arbor.wire {
    // The records it encodes, and the errors it maps to statuses.
    requires transitive dev.arbor.api;

    exports dev.arbor.wire to dev.arbor.protocol, dev.arbor.client, dev.arbor.server, dev.arbor.cli;
    exports dev.arbor.wire.find to dev.arbor.client, dev.arbor.server, dev.arbor.cli;
    exports dev.arbor.wire.view to dev.arbor.client, dev.arbor.server, dev.arbor.cli;
}
