package dev.arbor.server.http;

import dev.arbor.core.error.ArborException;
import dev.arbor.core.json.Json;
import dev.arbor.wire.CouchJson;
import dev.arbor.wire.HttpStatus;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Maps a request path to its {@link Route} the way CouchDB's dispatcher does, then runs it:
 * <pre>
 *   /                                   root
 *   /_name                              server route "_name" (when registered; else a database name)
 *   /{db}                               database
 *   /{db}/_name[/...]                   database action "_name" (when registered; else a document id)
 *   /{db}/{docid}                       document; also /{db}/_design/{name} and /{db}/_local/{id}
 *   /{db}/_design/{name}/_name[/...]    design action "_name" (views, later)
 *   /{db}/{docid}/{attachment...}       attachment; the name may hold '/'
 * </pre>
 * Segments are compared raw, so {@code %5Fdesign} is not {@code _design} (see {@link RequestPath}).
 *
 * <p>Each request is authenticated, then authorised for the access its route needs, here and only
 * here, through {@link AccessControl}. Failures become CouchDB's error bodies: an
 * {@link ArborException} its status, a wrong method 405 with an {@code Allow} header, anything
 * unexpected 500 with the stack trace logged and nothing internal in the body.
 *
 * <p>Routes are registered before the server starts; other packages (auth, changes, attachments)
 * add theirs through the same methods.
 */
public final class Router {
    private static final System.Logger LOG = System.getLogger("dev.arbor.server");

    private volatile AccessControl accessControl = AccessControl.OPEN;
    private Route root;
    private Route database;
    private Route document;
    private Route attachment;
    private final Map<String, Route> serverRoutes = new ConcurrentHashMap<>();
    private final Map<String, Route> databaseActions = new ConcurrentHashMap<>();
    private final Map<String, Route> designActions = new ConcurrentHashMap<>();

    public Router accessControl(AccessControl value) {
        this.accessControl = value;
        return this;
    }

    public Router root(Route route) {
        this.root = route;
        return this;
    }

    /** {@code /_name}: {@code name} starts with an underscore. */
    public Router server(String name, Route route) {
        serverRoutes.put(requireUnderscore(name), route);
        return this;
    }

    public Router database(Route route) {
        this.database = route;
        return this;
    }

    /** {@code /{db}/_name}, and deeper paths under it. */
    public Router databaseAction(String name, Route route) {
        databaseActions.put(requireUnderscore(name), route);
        return this;
    }

    public Router document(Route route) {
        this.document = route;
        return this;
    }

    public Router attachment(Route route) {
        this.attachment = route;
        return this;
    }

    /** {@code /{db}/_design/{ddoc}/_name}, and deeper paths under it. */
    public Router designAction(String name, Route route) {
        designActions.put(requireUnderscore(name), route);
        return this;
    }

    private static String requireUnderscore(String name) {
        if (!name.startsWith("_")) {
            throw new IllegalArgumentException("special paths start with '_': " + name);
        }
        return name;
    }

    /** Handles one exchange completely: routes, checks access, runs the handler, answers errors. */
    public void handle(HttpExchange exchange) throws Exception {
        try {
            Route route = resolve(exchange);
            Route.Entry entry = route == null ? null : route.entry(exchange.method());
            exchange.user(accessControl.authenticate(exchange));
            if (route == null) {
                throw new ArborException.NotFound("missing");
            }
            if (isUnknownServerPath(exchange)) {
                // CouchDB's chttpd_auth_request: any other /_name is a server path, for server admins only;
                // to them it then answers as the database of that name would ("Database does not exist.").
                accessControl.authorize(exchange.user(), null, Access.SERVER_ADMIN);
            }
            if (entry == null) {
                throw new HttpError(405, "method_not_allowed", "Only " + route.allowed() + " allowed",
                        Map.of("Allow", route.allowed()));
            }
            Access access = entry.access().required(exchange);
            if (access != null) {
                accessControl.authorize(exchange, access);
            }
            // validate_doc_update functions judge writes by the requester, as CouchDB's do.
            UserCtx user = exchange.user();
            try (var scope = dev.arbor.api.UserContext.enter(new dev.arbor.api.UserContext(user.name(), user.roles()))) {
                entry.handler().handle(exchange);
            }
        } catch (ArborException e) {
            if (e instanceof ArborException.Internal) {
                LOG.log(System.Logger.Level.ERROR, "internal error on " + describe(exchange), e);
            }
            sendError(exchange, HttpStatus.of(e), CouchJson.error(e), Map.of(), e);
        } catch (HttpError e) {
            sendError(exchange, e.status(), Json.object().put("error", e.error()).put("reason", e.reason()),
                    e.headers(), e);
        } catch (java.io.IOException | java.io.UncheckedIOException e) {
            // Mostly a client that went away mid-response; nothing can be answered on that connection.
            if (exchange.isCommitted()) {
                throw e;
            }
            LOG.log(System.Logger.Level.ERROR, "I/O failure on " + describe(exchange), e);
            sendError(exchange, 500, unexpected(), Map.of(), e);
        } catch (Exception e) {
            LOG.log(System.Logger.Level.ERROR, "unexpected failure on " + describe(exchange), e);
            sendError(exchange, 500, unexpected(), Map.of(), e);
        }
    }

    /** The system databases a {@code /_name} path may name; security of their own decides who reaches them. */
    private static final java.util.Set<String> SYSTEM_DATABASES = java.util.Set.of("_users", "_replicator", "_permissions");

    private static boolean isUnknownServerPath(HttpExchange exchange) {
        String db = exchange.db();
        return exchange.path().size() > 0 && db != null && db.startsWith("_") && !SYSTEM_DATABASES.contains(db);
    }

    private static com.fasterxml.jackson.databind.node.ObjectNode unexpected() {
        return Json.object().put("error", "unknown_error").put("reason", "An unexpected error occurred; see the server log.");
    }

    private static String describe(HttpExchange exchange) {
        return exchange.method() + " " + exchange.path().raw();
    }

    /**
     * Answers an error when nothing has been sent yet. Once a streamed body has begun, the status is
     * out and the only honest signal left is to break the response off, so the failure is rethrown.
     */
    private static void sendError(HttpExchange exchange, int status, com.fasterxml.jackson.databind.node.ObjectNode body,
                                  Map<String, String> headers, Exception cause) {
        if (exchange.isCommitted()) {
            throw cause instanceof RuntimeException r ? r : new java.io.UncheckedIOException(
                    cause instanceof java.io.IOException io ? io : new java.io.IOException(cause));
        }
        exchange.resetForError();
        headers.forEach(exchange::setHeader);
        exchange.sendJson(status, body);
    }

    Route resolve(HttpExchange exchange) {
        RequestPath path = exchange.path();
        if (path.size() == 0) {
            return root;
        }
        String first = path.raw(0);
        if (first.startsWith("_")) {
            Route server = serverRoutes.get(first);
            if (server != null) {
                exchange.target(new HttpExchange.Target(null, null, null, first));
                return server;
            }
        }
        String db = path.segment(0);
        if (path.size() == 1) {
            exchange.target(new HttpExchange.Target(db, null, null, null));
            return database;
        }
        String second = path.raw(1);
        if (second.equals("_design") || second.equals("_local")) {
            if (path.size() == 2) {
                // "_design" alone is an id, and an illegal one: the document route reports it as CouchDB does.
                exchange.target(new HttpExchange.Target(db, second, null, null));
                return document;
            }
            String docId = second + "/" + path.segment(2);
            if (path.size() == 3) {
                exchange.target(new HttpExchange.Target(db, docId, null, null));
                return document;
            }
            if (second.equals("_design") && path.raw(3).startsWith("_")) {
                Route action = designActions.get(path.raw(3));
                if (action != null) {
                    exchange.target(new HttpExchange.Target(db, docId, null, path.raw(3)));
                    return action;
                }
            }
            exchange.target(new HttpExchange.Target(db, docId, path.joinFrom(3), null));
            return attachment;
        }
        if (second.startsWith("_")) {
            Route action = databaseActions.get(second);
            if (action != null) {
                exchange.target(new HttpExchange.Target(db, null, null, second));
                return action;
            }
        }
        String docId = path.segment(1);
        if (path.size() == 2) {
            exchange.target(new HttpExchange.Target(db, docId, null, null));
            return document;
        }
        exchange.target(new HttpExchange.Target(db, docId, path.joinFrom(2), null));
        return attachment;
    }
}
