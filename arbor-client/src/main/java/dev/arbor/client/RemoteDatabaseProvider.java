package dev.arbor.client;

import dev.arbor.api.Database;
import dev.arbor.api.Storage;
import dev.arbor.api.spi.DatabaseProvider;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

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
        URI uri = parse(location);
        String rawPath = uri.getRawPath() == null ? "" : uri.getRawPath();
        String trimmed = rawPath.endsWith("/") ? rawPath.substring(0, rawPath.length() - 1) : rawPath;
        int slash = trimmed.lastIndexOf('/');
        String rawName = trimmed.substring(slash + 1);
        if (rawName.isEmpty()) {
            throw new IllegalArgumentException("the URL names no database: " + redacted(uri));
        }
        String name = URLDecoder.decode(rawName.replace("+", "%2B"), StandardCharsets.UTF_8);
        URI server = uri.resolve(trimmed.substring(0, slash + 1));
        RemoteStorage storage = new RemoteStorage(server, RemoteOptions.DEFAULT);
        try {
            return storage.openOwned(name);
        } catch (RuntimeException e) {
            storage.close();
            throw e;
        }
    }

    @Override
    public Storage openStorage(String location) {
        return new RemoteStorage(parse(location), RemoteOptions.DEFAULT);
    }

    private static URI parse(String location) {
        try {
            URI uri = new URI(location);
            if (uri.getHost() == null) {
                throw new IllegalArgumentException("not a server URL (no host): " + uri.getScheme() + "://…");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a valid URL: " + e.getReason(), e);
        }
    }

    private static String redacted(URI uri) {
        return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort()) + uri.getRawPath();
    }
}
