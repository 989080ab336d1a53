package dev.arbor.replication;

/**
 * Receives the events of one replication, on the replication's own thread, in order. Keep it short:
 * the replication waits for it.
 */
@FunctionalInterface
public interface ReplicationListener {
    ReplicationListener NONE = event -> { };

    void onEvent(ReplicationEvent event);
}
