package dev.arbor.protocol;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One binary WebSocket message of the protocol. A connection starts with the client's {@link Hello} and the server's
 * {@link Welcome}; then the client sends {@link Request}s, each with an id of its choosing, and the server answers each
 * with a {@link Response} or a {@link Failure} carrying the same id, in whatever order they finish (so many requests may
 * be in flight on one connection). {@link Push} is the server's alone: a message for one of the client's subscribers.
 * {@link Chunk}, {@link Credit} and {@link Cancel} carry a long payload in pieces paced by its reader ({@link Streaming}).
 */
public sealed interface Frame {

    /**
     * The client's first frame: the protocol version it speaks, and, over a transport with no login of its own (QUIC),
     * the credentials the connection acts with (both null: anonymous, or logged in by the transport, as a WebSocket's
     * upgrade request is).
     */
    record Hello(int version, String user, String password) implements Frame {
        public Hello(int version) {
            this(version, null, null);
        }

        /** Never the password: frames end up in logs and assertion messages. */
        @Override
        public String toString() {
            return "Hello[version=" + version + ", user=" + user + (password == null ? "" : ", password=…") + "]";
        }
    }

    /** The server's answer to a hello it accepts: its version and who the connection acts as (null: anonymous). */
    record Welcome(int version, String user) implements Frame {}

    /** One call: {@code op} is an {@link Op}'s wire name, {@code args} its arguments (an object, never null). */
    record Request(long id, String op, JsonNode args) implements Frame {}

    /** The result of request {@code id} (a null node when the operation returns nothing). */
    record Response(long id, JsonNode result) implements Frame {}

    /**
     * Request {@code id} failed, or with id 0 the connection itself did (a refused hello): CouchDB's status, error
     * and reason, as the HTTP API would have answered, so either end maps it to the same {@code ArborException}.
     */
    record Failure(long id, int status, String error, String reason) implements Frame {}

    /** A message published on {@code topic} for the client's subscriber {@code subscriber}: its JSON payload. */
    record Push(long subscriber, String topic, byte[] payload) implements Frame {}

    /**
     * One part of a long payload tied to request {@code id}, either way: from the server, a batch of an answer's rows,
     * a piece of an attachment or one event of a subscription, before the {@link Response} (or {@link Failure}) that
     * closes it; from the client, a piece of an upload the request announced. At most {@link Streaming#WINDOW} chunks
     * of one request travel before their reader grants {@link Credit}.
     */
    record Chunk(long id, JsonNode data) implements Frame {}

    /** The reader of request {@code id}'s chunks has taken {@code chunks} more: the sender may send as many again. */
    record Credit(long id, int chunks) implements Frame {}

    /** The client wants no more of request {@code id}'s chunks (a stream closed early, a subscription closed). */
    record Cancel(long id) implements Frame {}
}
