package dev.arbor.server.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.api.live.LiveQueries;
import dev.arbor.api.live.LiveQuery;
import dev.arbor.api.live.LiveSpec;
import dev.arbor.protocol.LiveCodec;
import dev.arbor.protocol.Op;
import dev.arbor.protocol.Values;
import dev.arbor.server.http.Access;

import static dev.arbor.protocol.Values.requireText;

/**
 * The live-query rows of the {@link Dispatcher}'s table. A live query runs over the database as the caller sees it
 * (the same {@code Caller.database} every read goes through), so it shows only what the caller may read; its events
 * are pushed by the connection's {@link LiveSubscriptions}.
 *
 * <p>{@code live.subscribe {id, db, spec, capacity}} answers {@code {id, result}}; {@code live.resume {id, db, spec,
 * token, capacity}} answers {@code {id}} and pushes the update from the token's rows to the result now first;
 * {@code live.close {id}}.
 */
final class LiveQueryOps {
    private LiveQueryOps() {}

    static void register(Dispatcher dispatcher) {
        dispatcher.on(Op.LIVE_SUBSCRIBE, (c, a) -> {
            LiveQuery query = queries(c, a).subscribe(spec(a), capacity(a));
            ObjectNode answer = Values.object().put("id", c.live().add(a.path("id").asLong(0), query));
            answer.set("result", LiveCodec.result(query.result()));
            return answer;
        });
        dispatcher.on(Op.LIVE_RESUME, (c, a) -> {
            LiveQuery query = queries(c, a).resume(spec(a), LiveCodec.token(a.path("token")), capacity(a));
            return Values.object().put("id", c.live().add(a.path("id").asLong(0), query));
        });
        dispatcher.on(Op.LIVE_CLOSE, (c, a) -> {
            c.live().close(a.path("id").asLong());
            return NullNode.instance;
        });
    }

    private static LiveQueries queries(ProtocolConnection c, JsonNode a) {
        return LiveQueries.over(c.caller().database(requireText(a, "db"), Access.READ));
    }

    private static LiveSpec spec(JsonNode a) {
        return LiveCodec.spec(a.path("spec"));
    }

    private static int capacity(JsonNode a) {
        return a.path("capacity").asInt(LiveQueries.DEFAULT_CAPACITY);
    }
}
