package dev.arbor.server.api;

/**
 * Serves one custom API ({@link dev.arbor.api.custom.Api}): the server calls it for each request, on the request's
 * virtual thread (so it may block), under the connection's limit of requests at once, after the caller was found to
 * have the API's permission. Many calls run at once, from one connection or many: a handler is thread-safe.
 *
 * <p>It answers with a response, or throws the API's {@link dev.arbor.api.custom.ApiException} (the caller gets the
 * error record), or an {@link dev.arbor.core.error.ArborException} (the caller gets that kind, as from any operation).
 */
@FunctionalInterface
public interface ApiHandler<Q, R> {
    R handle(Q request, ApiContext context);
}
