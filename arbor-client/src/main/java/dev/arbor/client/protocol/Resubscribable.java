package dev.arbor.client.protocol;

import dev.arbor.core.error.ArborException;

/**
 * Something a client keeps open on the server that a new connection does not have until it is asked again: a pub/sub
 * subscriber and its topics, a changes feed or a live query from its last seen sequence. Registered with
 * {@link ReconnectingConnection#register}, it is asked to {@link #resubscribe} on every new connection after a loss.
 */
public interface Resubscribable {
    /**
     * Re-establishes this subscription on {@code fresh}, calling it directly (not through the reconnecting layer,
     * which is busy with this very reconnection). Runs on the reconnecting thread, before or while other callers use
     * {@code fresh}. A failure while {@code fresh} is still open means the subscription cannot be restored: it is
     * then {@link #lost}; a failure because {@code fresh} too ended is tried again on the next connection.
     */
    void resubscribe(ProtocolConnection fresh);

    /**
     * This subscription cannot be restored (the server refused it, or refused the reconnection itself): it must end so
     * its consumer sees {@code why}, never stay silently dead.
     */
    void lost(ArborException why);
}
