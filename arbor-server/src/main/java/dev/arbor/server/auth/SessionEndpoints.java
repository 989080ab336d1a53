package dev.arbor.server.auth;

import dev.arbor.core.error.ArborException;
import dev.arbor.server.ServerExtension;
import dev.arbor.server.endpoint.ServerContext;
import dev.arbor.server.http.AccessRule;
import dev.arbor.server.http.HttpExchange;
import dev.arbor.server.http.Route;
import dev.arbor.server.http.Router;

import java.io.IOException;
import java.io.InputStream;

/**
 * {@code GET/POST/DELETE /_session} over HTTP, answering with what {@link SessionService} decides. The
 * path is open to everyone: logging in is how one stops being anonymous.
 */
final class SessionEndpoints implements ServerExtension {
    private final ServerAuth auth;

    SessionEndpoints(ServerAuth auth) {
        this.auth = auth;
    }

    @Override
    public void register(Router router, ServerContext context) {
        router.server("_session", new Route()
                .on("GET", AccessRule.PUBLIC, this::info)
                .on("POST", AccessRule.PUBLIC, this::login)
                .on("DELETE", AccessRule.PUBLIC, this::logout));
    }

    private void info(HttpExchange exchange) {
        send(exchange, auth.sessions().info(auth.currentAuthentication(), exchange.query().bool("basic", false)));
    }

    private void login(HttpExchange exchange) throws IOException {
        byte[] body;
        try (InputStream in = exchange.body()) {
            body = in.readAllBytes();
        }
        send(exchange, auth.sessions().login(exchange.header("Content-Type"), body,
                redirect(exchange, "next"), redirect(exchange, "fail"), exchange.jettyRequest().isSecure(),
                ServerAuth.peer(exchange)));
    }

    private void logout(HttpExchange exchange) {
        send(exchange, auth.sessions().logout(redirect(exchange, "next"), exchange.jettyRequest().isSecure()));
    }

    private static void send(HttpExchange exchange, SessionService.Reply reply) {
        if (reply.setCookie() != null) {
            exchange.setHeader("Set-Cookie", reply.setCookie());
        }
        if (reply.location() != null) {
            exchange.setHeader("Location", reply.location());
        }
        exchange.sendJson(reply.status(), reply.body());
    }

    /**
     * A {@code next} or {@code fail} target made absolute on this server, as CouchDB's {@code absolute_uri};
     * only paths are accepted, so a login form cannot be turned into a redirect to another site.
     */
    private static String redirect(HttpExchange exchange, String param) {
        String target = exchange.query().string(param);
        if (target == null) {
            return null;
        }
        if (!target.startsWith("/") || target.startsWith("//")) {
            throw new ArborException.BadRequest("bad_request", "path must begin with a /.");
        }
        return exchange.baseUrl() + target;
    }
}
