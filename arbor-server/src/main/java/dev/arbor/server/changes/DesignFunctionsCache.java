package dev.arbor.server.changes;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.js.DesignDocFunctions;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Compiled design documents for the feeds' JavaScript filters, by database, id and revision: compiling takes
 * milliseconds, and a replication polls {@code _changes} with the same filter over and over.
 */
final class DesignFunctionsCache {
    /** Past this many entries the cache starts over; design documents are few, so it rarely fills. */
    private static final int MAX_ENTRIES = 256;
    private static final ConcurrentHashMap<String, DesignDocFunctions> COMPILED = new ConcurrentHashMap<>();

    private DesignFunctionsCache() {}

    static DesignDocFunctions compiled(String db, ObjectNode designDoc) {
        String key = db + "\u0000" + designDoc.path("_id").asText() + "\u0000" + designDoc.path("_rev").asText();
        DesignDocFunctions functions = COMPILED.get(key);
        if (functions == null) {
            functions = DesignDocFunctions.compile(designDoc);
            if (COMPILED.size() >= MAX_ENTRIES) {
                COMPILED.clear();
            }
            COMPILED.put(key, functions);
        }
        return functions;
    }
}
