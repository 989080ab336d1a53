package dev.arbor.api.custom;

import java.util.concurrent.CompletableFuture;

/**
 * One custom API as a client calls it ({@link dev.arbor.api.Storage#api}). A call fails with the API's
 * {@link ApiException}, or with the {@link dev.arbor.core.error.ArborException} the server answered (
 * {@code not_found} for an API the server does not have, {@code forbidden}/{@code unauthorized} for a caller without
 * its permission). Thread-safe: calls from many threads are in flight on the connection at once.
 */
public interface ApiClient<Q, R> {

    Api<Q, R> api();

    /** Sends {@code request} and waits for the answer. */
    R call(Q request);

    /** Sends {@code request}; the future completes with the answer or the failure. */
    CompletableFuture<R> callAsync(Q request);
}
