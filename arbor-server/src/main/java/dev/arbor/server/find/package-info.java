/**
 * Mango over HTTP: {@code POST /{db}/_find}, {@code POST /{db}/_explain}, and {@code GET/POST /{db}/_index} with
 * {@code DELETE /{db}/_index/{ddoc}/json/{name}}, in CouchDB's shapes and with its errors. The work is the
 * database's ({@link dev.arbor.api.Database#find} and friends); the JSON forms are shared with the remote client
 * through {@link dev.arbor.wire.find.FindJson}.
 */
package dev.arbor.server.find;
