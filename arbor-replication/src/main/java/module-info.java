/** The CouchDB replication protocol between any two {@code Database}s: {@code Replicator} and its values. */
module dev.arbor.replication {
    requires transitive dev.arbor.api;

    exports dev.arbor.replication;
}
