package dev.arbor.server.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.core.error.ArborException;
import dev.arbor.core.json.Json;
import dev.arbor.server.http.UserCtx;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code /_session} without HTTP: log in ({@code POST}), who am I ({@code GET}), log out ({@code DELETE}),
 * as CouchDB's {@code couch_httpd_auth:handle_session_req}. The endpoint turns a {@link Reply} into a
 * response; {@code Location} values are passed through as the client gave them.
 */
public final class SessionService {

    /**
     * What to answer.
     *
     * @param setCookie a {@code Set-Cookie} header value, or null
     * @param location  a redirect target ({@code next} or {@code fail}) for a 302, or null
     */
    public record Reply(int status, ObjectNode body, String setCookie, String location) {}

    private final Authenticator authenticator;

    SessionService(Authenticator authenticator) {
        this.authenticator = authenticator;
    }

    /**
     * {@code POST /_session}: the body is JSON or form-encoded with {@code name} (or {@code username}) and
     * {@code password}. Success is 200 (302 to {@code next} when given) with {@code {ok, name, roles}} and a
     * new session cookie; failure is 401 (302 to {@code fail}) with {@code unauthorized} and a cleared cookie.
     */
    public Reply login(String contentType, byte[] body, String next, String fail, boolean secure, String peer) {
        Map<String, String> form = parseForm(contentType, body);
        String name = extractUsername(form);
        String password = form.getOrDefault("password", "");
        Optional<StoredUser> user = authenticator.checkPassword(name, password, peer);
        if (user.isEmpty()) {
            ObjectNode error = Json.object().put("error", "unauthorized").put("reason", Authenticator.WRONG_CREDENTIALS);
            return new Reply(fail == null ? 401 : 302, error, authenticator.clearedSessionCookie(secure), fail);
        }
        ObjectNode ok = Json.object().put("ok", true).put("name", name);
        var roles = ok.putArray("roles");
        user.get().roles().forEach(roles::add);
        return new Reply(next == null ? 200 : 302, ok, authenticator.sessionCookie(user.get(), secure), next);
    }

    /**
     * {@code GET /_session}: the caller's {@code userCtx} and how they were authenticated. With
     * {@code basic=true} an anonymous caller gets 401, which makes a browser show its login prompt.
     */
    public Reply info(Authenticator.Authentication auth, boolean basic) {
        if (auth.user().isAnonymous() && basic) {
            throw new ArborException.Unauthorized("Please login.");
        }
        ObjectNode body = Json.object().put("ok", true);
        body.set("userCtx", userCtxJson(auth.user()));
        ObjectNode info = body.putObject("info");
        var handlers = info.putArray("authentication_handlers");
        for (Authenticator.Handler handler : List.of(Authenticator.Handler.COOKIE, Authenticator.Handler.DEFAULT)) {
            handlers.add(handler.couchName());
        }
        if (auth.handler() != null) {
            info.put("authenticated", auth.handler().couchName());
        }
        // CouchDB 3.5 no longer names the authentication database here.
        return new Reply(200, body, auth.refreshedCookie(), null);
    }

    /** {@code {"name": ..., "roles": [...]}}, CouchDB's {@code userCtx} object. */
    static ObjectNode userCtxJson(UserCtx user) {
        ObjectNode json = Json.object();
        if (user.name() == null) {
            json.putNull("name");
        } else {
            json.put("name", user.name());
        }
        var roles = json.putArray("roles");
        user.roles().forEach(roles::add);
        return json;
    }

    /** {@code DELETE /_session}: clears the cookie; 302 to {@code next} when given. */
    public Reply logout(String next, boolean secure) {
        return new Reply(next == null ? 200 : 302, Json.object().put("ok", true),
                authenticator.clearedSessionCookie(secure), next);
    }

    /** CouchDB reads JSON or form bodies; any other content type counts as an empty form. */
    static Map<String, String> parseForm(String contentType, byte[] body) {
        String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT).strip();
        Map<String, String> form = new HashMap<>();
        if (type.startsWith("application/x-www-form-urlencoded")) {
            String text = new String(body, StandardCharsets.UTF_8);
            for (String pair : text.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                form.putIfAbsent(key, value);
            }
        } else if (type.startsWith("application/json")) {
            JsonNode json = Json.parse(body);
            if (!json.isObject()) {
                throw new ArborException.BadRequest("bad_request", "Request body must be a JSON object");
            }
            json.fields().forEachRemaining(field -> {
                JsonNode value = field.getValue();
                if (!value.isTextual()) {
                    // CouchDB converts each value with binary_to_list and fails on anything else.
                    throw new ArborException.BadRequest("bad_request", "Field " + field.getKey() + " must be a string");
                }
                form.put(field.getKey(), value.textValue());
            });
        }
        return form;
    }

    /** CouchDB's {@code extract_username}: {@code name} or {@code username}, and they must agree. */
    static String extractUsername(Map<String, String> form) {
        String name = form.get("name");
        String username = form.get("username");
        if (name == null && username == null) {
            throw new ArborException.BadRequest("bad_request", "request body must contain a username");
        }
        if (name != null && username != null && !name.equals(username)) {
            throw new ArborException.BadRequest("bad_request", "request body contains different usernames");
        }
        return name != null ? name : username;
    }
}
