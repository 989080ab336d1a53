package dev.arbor.client.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arbor.api.custom.Api;
import dev.arbor.api.custom.ApiClient;
import dev.arbor.api.custom.ApiException;
import dev.arbor.core.error.ArborException;
import dev.arbor.protocol.ApiCalls;
import dev.arbor.protocol.Op;
import dev.arbor.protocol.Values;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * One custom API called over the connection: the request goes as a tree of its record, the answer comes back as the
 * response record or the API's error record ({@link ApiException}); any other failure is the server's
 * {@link ArborException}. Thread-safe, as the connection is.
 */
final class ProtocolApiClient<Q, R> implements ApiClient<Q, R> {
    /** An async call waits on a virtual thread of its own: cheap, and it keeps the connection's one way of calling. */
    private static final Executor ASYNC = runnable -> Thread.ofVirtual().name("arbor-ws-api-call").start(runnable);

    private final ReconnectingConnection connection;
    private final Api<Q, R> api;

    ProtocolApiClient(ReconnectingConnection connection, Api<Q, R> api) {
        this.connection = connection;
        this.api = api;
    }

    @Override
    public Api<Q, R> api() {
        return api;
    }

    @Override
    public R call(Q request) {
        JsonNode answer = connection.call(Op.API_CALL, ApiCalls.call(api.name(), request));
        if (answer.has("error")) {
            throw new ApiException(Values.record(answer.get("error"), api.errorType()));
        }
        return Values.record(answer.path("ok"), api.responseType());
    }

    @Override
    public CompletableFuture<R> callAsync(Q request) {
        return CompletableFuture.supplyAsync(() -> call(request), ASYNC);
    }
}
