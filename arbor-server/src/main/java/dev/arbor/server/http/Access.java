package dev.arbor.server.http;

/** What a request needs to be allowed: the levels CouchDB checks ({@code _security} admins and members, server admins). */
public enum Access {
    /** Server admins only: creating and deleting databases, listing them, server-wide tasks. */
    SERVER_ADMIN,
    /** The database's admins (and server admins): design documents, {@code _security}, compaction, purge. */
    DB_ADMIN,
    /** The database's members (everyone when it has none): reading documents and feeds. */
    READ,
    /** Like {@link #READ} in CouchDB's model; kept apart so a finer model can tell writes from reads. */
    WRITE
}
