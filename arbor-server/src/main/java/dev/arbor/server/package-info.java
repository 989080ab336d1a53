/**
 * The CouchDB-compatible HTTP server: Jetty's core API on virtual threads, over any
 * {@link dev.arbor.api.Storage}. See docs/architecture.md for how requests flow.
 */
package dev.arbor.server;
