package dev.arbor.server.protocol;

import dev.arbor.api.live.LiveEnd;
import dev.arbor.api.live.LiveEvent;
import dev.arbor.api.live.LiveQuery;
import dev.arbor.core.error.ArborException;
import dev.arbor.core.json.Json;
import dev.arbor.protocol.Frame;
import dev.arbor.protocol.LiveCodec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * A connection's live queries. Each has a virtual thread that takes its events as the query computes them and pushes
 * them to the client, one push per update, the end last. Their ids are the client's, and negative, so one push frame's subscriber id
 * names a pub/sub subscriber (positive, the server's) or a live query (negative) of the connection, and the client
 * routes a push that overtakes the answer to its subscribe. The query's bounded queue absorbs a client that reads slowly: past it the query ends as lagging and the
 * client resumes. Closed with the connection.
 */
final class LiveSubscriptions implements AutoCloseable {
    private final Map<Long, LiveQuery> open = new ConcurrentHashMap<>();
    private final Consumer<Frame.Push> push;

    LiveSubscriptions(Consumer<Frame.Push> push) {
        this.push = push;
    }

    /**
     * Adopts {@code query} under {@code id}, which the client chose (so it routes pushes that overtake the answer),
     * and starts pushing its events. A non-negative or taken id is a {@code bad_request} and closes the query.
     */
    long add(long id, LiveQuery query) {
        if (id >= 0 || open.putIfAbsent(id, query) != null) {
            query.close();
            throw new ArborException.BadRequest("bad_request", "a live query's id is negative and unused on its connection, not " + id);
        }
        Thread.ofVirtual().name("arbor-ws-live" + id).start(() -> pump(id, query));
        return id;
    }

    void close(long id) {
        LiveQuery query = open.remove(id);
        if (query == null) {
            throw new ArborException.NotFound("no live query " + id + " on this connection");
        }
        query.close();
    }

    /** Runs on the query's own thread until its end has been pushed. */
    private void pump(long id, LiveQuery query) {
        try {
            while (true) {
                Optional<LiveEvent> event = query.next(Duration.ofMinutes(1));
                if (event.isEmpty()) {
                    continue;
                }
                push.accept(new Frame.Push(id, LiveCodec.TOPIC, Json.MAPPER.writeValueAsBytes(LiveCodec.event(event.get()))));
                if (event.get() instanceof LiveEnd) {
                    open.remove(id);
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        open.keySet().forEach(id -> {
            LiveQuery query = open.remove(id);
            if (query != null) {
                query.close();
            }
        });
    }
}
