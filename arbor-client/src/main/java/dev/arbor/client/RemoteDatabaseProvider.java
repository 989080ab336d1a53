package dev.arbor.client;

import dev.arbor.api.Database;
import dev.arbor.api.Storage;
import dev.arbor.api.spi.DatabaseProvider;


/**
 * Lets {@code Arbor.open("http://user:pw@host:5984/db")} and {@code Arbor.storage("http://host:5984")}
 * reach a server, as PouchDB's constructor does with a URL. The last path segment of a database URL is
 * the database (percent-encoded when its name has a {@code /}); what comes before it is the server's
 * root, so servers behind a path prefix work too. User info logs in with Basic auth.
 */
public final class RemoteDatabaseProvider implements DatabaseProvider {

    @Override
    public boolean accepts(String location) {
        String lower = location.toLowerCase(java.util.Locale.ROOT);
        return lower.startsWith("http://") || lower.startsWith("https://");
    }

    /** The database, created when the server does not have it yet (as {@code new PouchDB(url)} does). */
    @Override
    public Database open(String location) {
        DatabaseUrl url = DatabaseUrl.ofDatabase(location);
        RemoteStorage storage = new RemoteStorage(url.server(), RemoteOptions.DEFAULT);
        try {
            return storage.openOwned(url.name());
        } catch (RuntimeException e) {
            storage.close();
            throw e;
        }
    }

    @Override
    public Storage openStorage(String location) {
        return new RemoteStorage(DatabaseUrl.server(location), RemoteOptions.DEFAULT);
    }
}
