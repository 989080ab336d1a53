package dev.arbor.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arbor.api.Database;
import dev.arbor.api.Storage;
import dev.arbor.client.http.CouchHttp;
import dev.arbor.client.http.CouchRequest;
import dev.arbor.client.http.UrlEncoding;
import dev.arbor.core.doc.DatabaseNames;
import dev.arbor.core.error.ArborException;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The databases of a CouchDB-compatible server (CouchDB, Arbor's server, pouchdb-server) as a
 * {@link Storage}. Every database opened from it shares one HTTP client, so connections are pooled and
 * kept alive; closing the storage closes them.
 *
 * <pre>{@code
 * try (Storage server = new RemoteStorage(URI.create("http://admin:secret@127.0.0.1:5984"), RemoteOptions.DEFAULT)) {
 *     Database db = server.databaseOrCreate("notes");
 *     db.put(Json.parseObject("{\"_id\":\"a\"}"));
 * }
 * }</pre>
 *
 * <p>Names are checked against CouchDB's rule here, before a request is made, with the errors CouchDB
 * would give: an illegal name must never turn into another URL (an empty name would address the
 * server's root).
 */
public final class RemoteStorage implements Storage {
    private final CouchHttp http;

    /**
     * @param server  the server's root URL; user info in it ({@code http://user:pw@host:5984}) logs in,
     *                unless {@code options} name a user
     * @param options how to connect and log in
     */
    public RemoteStorage(URI server, RemoteOptions options) {
        RemoteOptions effective = options.username() == null && server.getRawUserInfo() != null
                ? withUserInfo(options, server.getRawUserInfo()) : options;
        this.http = new CouchHttp(withoutUserInfo(server), login(effective), effective.httpVersion(), effective.connectTimeout(),
                effective.pinnedCertificate());
    }

    /** The server's root URL (without credentials). */
    public String url() {
        return http.root();
    }

    @Override
    public Database createDatabase(String name, boolean partitioned) {
        DatabaseNames.validate(name);
        http.call(CouchRequest.of("PUT", dbPath(name) + (partitioned ? "?partitioned=true" : "")));
        return new RemoteDatabase(http, name, null);
    }

    @Override
    public Database database(String name) {
        if (!exists(name)) {
            throw new ArborException.NotFound("Database does not exist.");
        }
        return new RemoteDatabase(http, name, null);
    }

    @Override
    public Database databaseOrCreate(String name) {
        if (exists(name)) {
            return new RemoteDatabase(http, name, null);
        }
        try {
            return createDatabase(name);
        } catch (ArborException.PreconditionFailed createdMeanwhile) {
            return new RemoteDatabase(http, name, null);
        }
    }

    @Override
    public boolean exists(String name) {
        if (!isLegal(name)) {
            return false;
        }
        return http.status(CouchRequest.head(dbPath(name))) < 300;
    }

    @Override
    public List<String> listDatabases() {
        List<String> names = new ArrayList<>();
        for (JsonNode name : http.json(CouchRequest.get("_all_dbs"))) {
            names.add(name.asText());
        }
        names.sort(null);
        return List.copyOf(names);
    }

    @Override
    public void deleteDatabase(String name) {
        if (!isLegal(name)) {
            throw new ArborException.NotFound("Database does not exist.");
        }
        http.call(CouchRequest.delete(dbPath(name)));
    }

    @Override
    public void close() {
        http.close();
    }

    /** A database that closes this storage when it is closed: what {@code Arbor.open(url)} hands out. */
    Database openOwned(String name) {
        databaseOrCreate(name);
        return new RemoteDatabase(http, name, this);
    }

    static String dbPath(String name) {
        return UrlEncoding.encode(name);
    }

    private static boolean isLegal(String name) {
        try {
            DatabaseNames.validate(name);
            return true;
        } catch (ArborException.BadRequest illegal) {
            return false;
        }
    }

    private static CouchHttp.Login login(RemoteOptions options) {
        if (options.username() == null) {
            return new CouchHttp.Login.Anonymous();
        }
        String password = options.password() == null ? "" : options.password();
        return switch (options.auth()) {
            case BASIC -> new CouchHttp.Login.Basic(options.username(), password);
            case COOKIE -> new CouchHttp.Login.Cookie(options.username(), password);
        };
    }

    private static RemoteOptions withUserInfo(RemoteOptions options, String rawUserInfo) {
        int colon = rawUserInfo.indexOf(':');
        String user = colon < 0 ? rawUserInfo : rawUserInfo.substring(0, colon);
        String password = colon < 0 ? "" : rawUserInfo.substring(colon + 1);
        return options.credentials(decode(user), decode(password));
    }

    private static String decode(String text) {
        // URLDecoder reads '+' as a space, which in user info it is not.
        return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static URI withoutUserInfo(URI server) {
        try {
            return new URI(server.getScheme(), null, server.getHost(), server.getPort(), server.getPath(), null, null);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a server URL: " + server.getScheme() + "://" + server.getHost(), e);
        }
    }
}
