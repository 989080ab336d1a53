package dev.arbor.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/** Keeping a database: compaction, purge, its {@code _security} object and its revision limit. */
public interface Maintenance {

    /** Drops bodies of non-leaf revisions and attachment data no leaf refers to. */
    void compact();

    /** {@code _purge}: removes the named leaf revisions (and the doc when none is left), as if never written. */
    PurgeResult purge(Map<String, List<String>> revsByDocId);

    ObjectNode getSecurity();

    void setSecurity(ObjectNode security);

    int revsLimit();

    void setRevsLimit(int limit);

    /**
     * The name of the key this database's values are encrypted with at rest, or empty when they are not (or the
     * backend does not say). Where permission statements decide access, reading needs {@code encryption.decrypt} and
     * writing {@code encryption.encrypt} on that key ({@code ["arbor", "key", name]}), as in BonsaiDb.
     */
    default java.util.Optional<String> encryptionKey() {
        return java.util.Optional.empty();
    }
}
