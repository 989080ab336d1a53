package dev.arbor.replication;

/** The two directions of a {@link Replicator#sync}: {@code push} is a → b, {@code pull} b → a. */
public record SyncResult(ReplicationResult push, ReplicationResult pull) {
    public boolean ok() {
        return push.ok() && pull.ok();
    }
}
