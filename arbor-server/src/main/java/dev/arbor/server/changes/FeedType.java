package dev.arbor.server.changes;

import dev.arbor.core.error.ArborException;

/** The {@code feed} parameter of {@code _changes}. */
public enum FeedType {
    /** One answer with the changes so far. */
    NORMAL("application/json"),
    /** Like {@link #NORMAL}, but when there is nothing to send it waits for the next change (or the timeout). */
    LONGPOLL("application/json"),
    /** One JSON object per line, for as long as the client stays (or until limit/timeout). */
    CONTINUOUS("application/json"),
    /** Server-sent events for browsers' {@code EventSource}. */
    EVENTSOURCE("text/event-stream");

    private final String contentType;

    FeedType(String contentType) {
        this.contentType = contentType;
    }

    /** The response's Content-Type, as CouchDB sends it. */
    public String contentType() {
        return contentType;
    }

    /** Whether the feed waits for changes rather than answering with what there is. */
    public boolean isLive() {
        return this != NORMAL;
    }

    /** Parses the parameter; {@code live} is CouchDB's synonym for {@code continuous}. Null means normal. */
    public static FeedType parse(String value) {
        if (value == null) {
            return NORMAL;
        }
        return switch (value) {
            case "normal" -> NORMAL;
            case "longpoll" -> LONGPOLL;
            case "continuous", "live" -> CONTINUOUS;
            case "eventsource" -> EVENTSOURCE;
            default -> throw new ArborException.BadRequest("bad_request",
                    "Supported `feed` types: normal, continuous, live, longpoll, eventsource");
        };
    }
}
