package dev.arbor.api;

import dev.arbor.api.keyvalue.KeyValueStore;
import dev.arbor.api.pubsub.PubSub;

import java.util.Optional;

/**
 * One CouchDB-style database: documents with revision trees, a by-sequence changes log, local
 * documents, attachments, Mango and views. The local engine (RocksDB or in-memory) and the remote HTTP
 * client implement this one contract, so everything written against it runs on a directory or a URL.
 *
 * <p>The contract is composed of facets, one per capability: {@link Documents}, {@link LocalDocuments},
 * {@link Attachments}, {@link Changes}, {@link Mango}, {@link Views} and {@link Maintenance}, which every
 * backend has, and {@link AtomicWrites}, {@link TypedViews}, the key-value store and pub/sub, which a
 * backend may lack: those are {@link Optional}s, empty where the backend cannot offer them, never methods
 * that throw. Something that changes one capability (a permission guard, a test double) implements that
 * facet alone and is put together with the rest by {@link ComposedDatabase}.
 *
 * <p>Semantics are CouchDB 3.x's: method names follow PouchDB's ({@code put}, {@code bulkDocs},
 * {@code allDocs}, {@code changes}, {@code revsDiff}, {@code bulkGet}); option names follow CouchDB's
 * query parameters. Failures are {@link dev.arbor.core.error.ArborException}s.
 *
 * <p>Thread-safety: every method may be called from any thread at any time. Reads see a consistent
 * snapshot; writes are serialised per database and group-committed.
 */
public interface Database extends Documents, LocalDocuments, Attachments, Changes, Mango, Views, Maintenance,
        AutoCloseable {

    /**
     * How the database identifies itself: a local database's name; a remote one's URL without credentials, as
     * CouchDB's replicator names its source and target. {@code info().dbName()} is always the bare name.
     */
    String name();

    DbInfo info();

    /**
     * This partitioned database seen through one partition ({@code /db/_partition/{name}}), as RouchDB's
     * {@code db.partition(name)}: info, {@code _all_docs}, {@code _find} and {@code _explain} over that
     * partition's documents only. {@code bad_request} "database is not partitioned" on a database that is not;
     * {@code illegal_partition} for a name that cannot be a partition (empty, leading underscore, colon).
     */
    Partition partition(String name);

    /** Writes of several documents as one; empty where the backend speaks only CouchDB's HTTP API. */
    default Optional<AtomicWrites> atomicWrites() {
        return Optional.empty();
    }

    /** Typed Java views; empty where the Java code cannot run beside the data (a remote database). */
    default Optional<TypedViews> typedViews() {
        return Optional.empty();
    }

    /** The database's atomic key-value store (BonsaiDb's): its own key space, written through the database's writer. */
    default Optional<KeyValueStore> keyValue() {
        return Optional.empty();
    }

    /**
     * The database's publish/subscribe, which also carries its changes feed ({@link dev.arbor.api.pubsub.Topic#CHANGES}).
     */
    default Optional<PubSub> pubSub() {
        return Optional.empty();
    }

    /**
     * Live queries: a Mango query or a view range kept current by deltas ({@link dev.arbor.api.live.LiveQueries}). Empty
     * where the backend does not offer them; {@link dev.arbor.api.live.LiveQueries#over} builds them over any database.
     */
    default Optional<dev.arbor.api.live.LiveQueries> liveQueries() {
        return Optional.empty();
    }

    @Override
    void close();
}
