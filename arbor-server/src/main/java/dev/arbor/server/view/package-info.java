/**
 * Views over HTTP: {@code _view} (GET, POST, multi-query {@code /queries}), {@code _info} and {@code _view_cleanup},
 * in CouchDB's shapes. The work is the database's ({@link dev.arbor.api.Database#query}); the JSON forms are shared
 * with the remote client through {@link dev.arbor.wire.view.ViewJson}.
 */
package dev.arbor.server.view;
