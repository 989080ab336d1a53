package dev.arbor.api.pubsub;

import dev.arbor.core.error.ArborException;
import dev.arbor.core.json.Json;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * One published message as a subscriber receives it: its topic and its payload, serialised once as
 * JSON when published and shared by every subscriber (so it is never mutable).
 */
public final class Message {
    private final String topic;
    private final byte[] json;

    /** @param json the payload's JSON bytes; the caller hands them over and must not change them */
    public Message(String topic, byte[] json) {
        this.topic = topic;
        this.json = json;
    }

    public String topic() {
        return topic;
    }

    /** The payload deserialised as {@code type}. */
    public <T> T payload(Class<T> type) {
        try {
            return Json.MAPPER.readValue(json, type);
        } catch (IOException e) {
            throw new ArborException.BadRequest("bad_request",
                    "message on " + topic + " cannot be read as " + type.getSimpleName() + ": " + e.getMessage());
        }
    }

    /** The payload as its topic's type. */
    public <T> T payload(Topic<T> typed) {
        return payload(typed.type());
    }

    /**
     * The payload's JSON bytes, a copy of its own for the caller: what a transport sends on, which needs no text
     * (going through the text would decode and re-encode the UTF-8 once per subscriber).
     */
    public byte[] payloadBytes() {
        return json.clone();
    }

    /** The payload's JSON text. */
    public String payloadJson() {
        return new String(json, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "Message[" + topic + ": " + payloadJson() + "]";
    }
}
