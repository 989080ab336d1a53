package dev.arbor.api;

/**
 * A document read as the JSON bytes CouchDB sends for it ({@link Database#getJson}), for a caller that passes it
 * on unchanged, such as the HTTP server.
 *
 * @param rev  the revision the bytes are of (the HTTP {@code ETag})
 * @param json the document, the same bytes {@link dev.arbor.core.json.Json#bytes} gives for {@link Database#get}'s tree
 */
public record DocumentJson(String rev, byte[] json) {}
