package dev.arbor.server.http;

/** What a request needs to be allowed: the levels CouchDB checks ({@code _security} admins and members, server admins). */
public enum Access {
    /** Server admins only: server-wide tasks and configuration. */
    SERVER_ADMIN,
    /** Creating a database: server admins, or a caller granted {@code server.create_database} on it. */
    CREATE_DATABASE,
    /** Deleting a database: server admins, or a caller granted {@code server.delete_database} on it. */
    DELETE_DATABASE,
    /** Listing the databases: server admins, or a caller granted {@code server.list_databases}. */
    LIST_DATABASES,
    /** The database's admins (and server admins): design documents, {@code _security}, purge. */
    DB_ADMIN,
    /** Compaction: the database's admins in CouchDB's model, {@code database.compact} in Arbor's. */
    COMPACT,
    /** The database's members (everyone when it has none): reading documents. */
    READ,
    /** Like {@link #READ} in CouchDB's model; kept apart so a finer model can tell writes from reads. */
    WRITE,
    /** Reading the changes feed: members in CouchDB's model, {@code database.read_changes} in Arbor's. */
    CHANGES,
    /** Querying a view: members in CouchDB's model, {@code database.query_view} in Arbor's. */
    QUERY_VIEW,
    /** Querying with Mango ({@code _find}, {@code _explain}, listing indexes): {@code database.query_index}. */
    QUERY_INDEX;

    /** Whether this is decided by the server's permissions alone, not a database's {@code _security}. */
    public boolean isServerLevel() {
        return this == SERVER_ADMIN || this == CREATE_DATABASE || this == DELETE_DATABASE || this == LIST_DATABASES;
    }
}
