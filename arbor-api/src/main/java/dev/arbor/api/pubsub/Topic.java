package dev.arbor.api.pubsub;

import dev.arbor.api.CommitEvent;
import dev.arbor.core.error.ArborException;

/**
 * A typed topic: a name and the type of its messages, so publishers and subscribers agree on both
 * ({@code Topic<ChatLine> ROOM = Topic.of("room", ChatLine.class)}). Plain string topics work too; a
 * topic is identified by its name alone.
 *
 * <p>Names starting with {@code _} are reserved for topics Arbor itself publishes (see
 * {@link #CHANGES}); publishing to them is a {@code bad_request}.
 */
public record Topic<T>(String name, Class<T> type) {
    /** Each commit of a database that changed documents, published by that database's {@link PubSub}. */
    public static final Topic<CommitEvent> CHANGES = new Topic<>("_changes", CommitEvent.class);

    public Topic {
        if (name == null || name.isEmpty()) {
            throw new ArborException.BadRequest("bad_request", "a topic needs a non-empty name");
        }
    }

    public static <T> Topic<T> of(String name, Class<T> type) {
        return new Topic<>(name, type);
    }

    /** Whether Arbor reserves this name for itself. */
    public static boolean isReserved(String name) {
        return name.startsWith("_");
    }
}
