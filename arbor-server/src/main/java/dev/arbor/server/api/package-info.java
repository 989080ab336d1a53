/**
 * Custom APIs served over the Arbor protocol: an {@link dev.arbor.server.api.ApiHandler} per
 * {@link dev.arbor.api.custom.Api} descriptor, registered with {@code ArborServer.Builder.api}, runs for each call with
 * the caller's {@link dev.arbor.server.api.ApiContext} after the API's permission was checked.
 */
package dev.arbor.server.api;
