package dev.arbor.server;

import java.util.Map;
import java.util.Optional;

/**
 * The node's configuration as {@code /_node/_local/_config} shows and edits it: CouchDB's sections and keys,
 * kept in {@code <data>/arbor.ini}. Values are strings, as in CouchDB's ini files.
 */
public interface NodeConfig {

    /** When a value set over HTTP takes effect, told in the {@code X-Arbor-Config-Applies} response header. */
    enum Applies {
        /** At once (server admins). */
        NOW,
        /** At the next start: the server reads it only then (listening address, limits, auth settings). */
        RESTART,
        /** Never: Arbor keeps it, as CouchDB keeps any key, but does not read it. */
        UNUSED;

        public String headerValue() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** Every section with its keys, in file order. */
    Map<String, Map<String, String>> all();

    Optional<String> get(String section, String key);

    /**
     * Sets a value and saves the file; the old value, if any. A value the server could not start with is refused
     * ({@link dev.arbor.core.error.ArborException.BadRequest}) and nothing is changed.
     */
    Optional<String> set(String section, String key, String value);

    /** Removes a value and saves the file; the old value, empty when there was none (nothing changes then). */
    Optional<String> delete(String section, String key);

    /** When a change to this key takes effect. */
    Applies applies(String section, String key);
}
