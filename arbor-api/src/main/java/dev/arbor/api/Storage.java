package dev.arbor.api;

import java.util.List;

/**
 * Many named databases in one place (a data directory, memory, or later a server). Database names
 * follow CouchDB's rule: {@code ^[a-z][a-z0-9_$()+/-]*$}, at most 238 characters.
 */
public interface Storage extends AutoCloseable {

    /** Creates a database; {@code file_exists} (412) if it exists, {@code illegal_database_name} (400) if the name is bad. */
    default Database createDatabase(String name) {
        return createDatabase(name, false);
    }

    /**
     * Creates a database, partitioned or not ({@code PUT /db?partitioned=true}); the choice is stored with the
     * database and never changes. A partitioned database accepts only {@code partition:docid} ids (besides
     * {@code _design/} and {@code _local/}) and answers {@link Database#partition} queries.
     */
    Database createDatabase(String name, boolean partitioned);

    /** Opens an existing database; {@code not_found} if there is none by that name. */
    Database database(String name);

    /** Opens the database, creating it first if needed. */
    Database databaseOrCreate(String name);

    boolean exists(String name);

    /** Names of all databases, sorted. */
    List<String> listDatabases();

    /** Deletes a database and all its data; {@code not_found} if there is none. */
    void deleteDatabase(String name);

    /**
     * Publish/subscribe shared by the whole storage (each database also has its own,
     * {@link Database#pubSub()}); empty on a backend without it.
     */
    default java.util.Optional<dev.arbor.api.pubsub.PubSub> pubSub() {
        return java.util.Optional.empty();
    }

    @Override
    void close();

    /**
     * A custom API of the server this storage reaches ({@link dev.arbor.api.custom.Api}); only a storage on the Arbor
     * protocol ({@code ws://}) has them, since the handlers run in the server.
     *
     * @throws UnsupportedOperationException on a storage that reaches no Arbor server
     */
    default <Q, R> dev.arbor.api.custom.ApiClient<Q, R> api(dev.arbor.api.custom.Api<Q, R> api) {
        throw new UnsupportedOperationException("custom API " + api.name() + " is served by an Arbor server: open the "
                + "storage with Arbor.storage(\"ws://host:port\")");
    }
}
