package dev.arbor.server.auth;

/**
 * What a request needs to be allowed to do, from weakest to strongest. The router names one per route
 * and {@link AccessControl#authorize} checks it against the caller and the database's {@code _security}.
 */
public enum Access {
    /** Read documents, changes, info: a member of the database (or anyone, on a public database). */
    READ,
    /**
     * Write non-design documents. CouchDB 3 draws no line between reading and writing members; it is a
     * separate value so the router states intent and a finer model can come later without touching routes.
     */
    WRITE,
    /** {@code _security}, {@code _compact}, {@code _purge}, {@code _revs_limit}, design document writes. */
    DB_ADMIN,
    /** Server-wide operations: creating and deleting databases, {@code _active_tasks}, config. */
    SERVER_ADMIN
}
