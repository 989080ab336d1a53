/**
 * Custom server APIs, as BonsaiDb's {@code Api}: an {@link dev.arbor.api.custom.Api} descriptor, shared by the server
 * that handles it and the clients that call it, names the API, its request and response records, the error record its
 * handler may answer with ({@link dev.arbor.api.custom.ApiException}), and the permission a caller needs
 * ({@link dev.arbor.api.custom.ApiPermission}), checked by the server before the handler runs. A client calls it
 * through its storage ({@link dev.arbor.api.Storage#api}); the server registers the handler
 * ({@code ArborServer.Builder.api}).
 */
package dev.arbor.api.custom;
