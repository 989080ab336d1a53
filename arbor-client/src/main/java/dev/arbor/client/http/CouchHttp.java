package dev.arbor.client.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arbor.core.error.ArborException;
import dev.arbor.core.json.Json;
import dev.arbor.wire.CouchErrors;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The connection to one CouchDB-compatible server: one {@link HttpClient} (so its connections are
 * pooled and kept alive across every database of the server), the server's root URL, and the login.
 * Every request goes through {@link #open}, which signs it, sends it and turns an error answer into
 * the matching {@link ArborException}.
 *
 * <p>Logins: with Basic auth the credentials go with every request. With cookie auth the first
 * request logs in with {@code POST /_session}; the {@code AuthSession} cookie is then sent along and
 * replaced whenever the server refreshes it. A 401 on a logged-in session means it expired: the
 * client logs in once more and repeats the request when its body can be sent again.
 */
public final class CouchHttp implements AutoCloseable {
    private static final String SESSION_COOKIE = "AuthSession";

    private final String root;
    private final Login login;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final HttpClient client;
    private volatile String sessionCookie;

    /** How the client proves who it is. */
    public sealed interface Login {
        record Anonymous() implements Login {}

        record Basic(String username, String password) implements Login {
            String header() {
                return "Basic " + Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
            }
        }

        record Cookie(String username, String password) implements Login {}
    }

    /**
     * @param root the server's root URL, without user info, ending in {@code /} (a server behind a
     *             path prefix such as {@code http://host/couch/} works too)
     */
    public CouchHttp(URI root, Login login, HttpClient.Version version, Duration connectTimeout) {
        this(root, login, version, connectTimeout, null);
    }

    /**
     * @param pinnedCertificate the SHA-256 fingerprint of the only certificate an {@code https} server may present
     *                          ({@link PinnedCertificate}); null trusts the JDK's certificate authorities
     */
    public CouchHttp(URI root, Login login, HttpClient.Version version, Duration connectTimeout, String pinnedCertificate) {
        String text = root.toString();
        this.root = text.endsWith("/") ? text : text + "/";
        this.login = login;
        HttpClient.Builder builder = HttpClient.newBuilder()
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                // Response bodies are handed to virtual threads, so thousands of open streams
                // (longpolls, attachments being read) cost no platform threads.
                .executor(executor);
        if (pinnedCertificate != null) {
            builder.sslContext(new PinnedCertificate(pinnedCertificate).sslContext());
        }
        if (version != null) {
            builder.version(version);
        } else {
            builder.version("https".equalsIgnoreCase(root.getScheme()) ? HttpClient.Version.HTTP_2 : HttpClient.Version.HTTP_1_1);
        }
        this.client = builder.build();
    }

    /** The server's root URL, for messages. */
    public String root() {
        return root;
    }

    /**
     * Sends the request and returns the answer, whose body the caller must close. A status of 400 or
     * more is read and thrown as its {@link ArborException}.
     */
    public HttpResponse<InputStream> open(CouchRequest request) {
        HttpResponse<InputStream> response = exchange(request, true);
        if (response.statusCode() >= 400) {
            throw errorOf(response);
        }
        return response;
    }

    /**
     * Sends the request and returns the answer whatever its status, for a caller that tells some error
     * statuses apart itself; {@link #errorOf} makes the exception of any other. The caller closes the body.
     */
    public HttpResponse<InputStream> openAnyStatus(CouchRequest request) {
        return exchange(request, true);
    }

    /** Sends the request and parses the JSON answer. */
    public JsonNode json(CouchRequest request) {
        HttpResponse<InputStream> response = open(request);
        try (InputStream body = response.body()) {
            return Json.MAPPER.readTree(body);
        } catch (IOException e) {
            throw unreachable(request, e);
        }
    }

    /** Sends the request for its effect; the answer's body is read and dropped. */
    public void call(CouchRequest request) {
        HttpResponse<InputStream> response = open(request);
        try (InputStream body = response.body()) {
            body.transferTo(OutputStream.nullOutputStream());
        } catch (IOException e) {
            throw unreachable(request, e);
        }
    }

    /** The status of a request whose answer is only its status ({@code HEAD}); errors other than 404 still throw. */
    public int status(CouchRequest request) {
        HttpResponse<InputStream> response = exchange(request, true);
        try (InputStream body = response.body()) {
            body.transferTo(OutputStream.nullOutputStream());
        } catch (IOException e) {
            throw unreachable(request, e);
        }
        if (response.statusCode() >= 400 && response.statusCode() != 404) {
            throw CouchErrors.from(response.statusCode(), null, null);
        }
        return response.statusCode();
    }

    private HttpResponse<InputStream> exchange(CouchRequest request, boolean mayLogInAgain) {
        if (login instanceof Login.Cookie cookie && sessionCookie == null) {
            logIn(cookie, null);
        }
        String cookieUsed = sessionCookie;
        HttpResponse<InputStream> response = send(build(request), request);
        rememberSessionCookie(response);
        if (response.statusCode() == 401 && login instanceof Login.Cookie cookie && mayLogInAgain && cookieUsed != null) {
            // The session expired. Log in again; a request whose body was a stream already spent it, so
            // that one fails, and the caller's next request runs on the new session.
            discard(response);
            logIn(cookie, cookieUsed);
            if (request.replayable()) {
                return exchange(request, false);
            }
            throw new ArborException.Unauthorized("the session expired while a streamed body was sent; logged in"
                    + " again, send it once more");
        }
        return response;
    }

    private HttpRequest build(CouchRequest request) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(root + request.target()))
                .method(request.method(), request.body())
                .header("Accept", "application/json");
        request.headers().forEach(builder::setHeader);
        switch (login) {
            case Login.Basic basic -> builder.setHeader("Authorization", basic.header());
            case Login.Cookie ignored -> {
                String cookie = sessionCookie;
                if (cookie != null) builder.setHeader("Cookie", SESSION_COOKIE + "=" + cookie);
            }
            case Login.Anonymous ignored -> { }
        }
        return builder.build();
    }

    private HttpResponse<InputStream> send(HttpRequest http, CouchRequest request) {
        try {
            return client.send(http, HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw unreachable(request, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ArborException.Internal("interrupted while waiting for " + root + request.path(), e);
        }
    }

    /**
     * {@code POST /_session}. Synchronized so that many threads finding the session expired log in
     * once; {@code expired} is the cookie they saw fail, so a thread arriving after another's fresh
     * login does not log in again.
     */
    private synchronized void logIn(Login.Cookie cookie, String expired) {
        if (sessionCookie != null && !sessionCookie.equals(expired)) {
            return;
        }
        CouchRequest request = new CouchRequest("POST", "_session", "", java.util.Map.of(),
                HttpRequest.BodyPublishers.noBody(), true)
                .json(Json.object().put("name", cookie.username()).put("password", cookie.password()));
        HttpResponse<InputStream> response = send(build(request), request);
        if (response.statusCode() >= 400) {
            throw errorOf(response);
        }
        discard(response);
        String fresh = cookieValue(response.headers().allValues("Set-Cookie"));
        if (fresh == null) {
            throw new ArborException.Unauthorized("the server accepted the login but set no " + SESSION_COOKIE + " cookie");
        }
        sessionCookie = fresh;
    }

    /** CouchDB sends a fresh cookie before the old one expires; keep the newest. */
    private void rememberSessionCookie(HttpResponse<?> response) {
        if (login instanceof Login.Cookie) {
            String fresh = cookieValue(response.headers().allValues("Set-Cookie"));
            if (fresh != null && !fresh.isEmpty()) {
                sessionCookie = fresh;
            }
        }
    }

    private static String cookieValue(List<String> setCookies) {
        for (String header : setCookies) {
            String first = header.split(";", 2)[0].strip();
            if (first.startsWith(SESSION_COOKIE + "=")) {
                return first.substring(SESSION_COOKIE.length() + 1);
            }
        }
        return null;
    }

    /** The exception an error answer stands for; reads (a bounded amount of) its body and closes it. */
    public static ArborException errorOf(HttpResponse<InputStream> response) {
        byte[] body;
        try (InputStream in = response.body()) {
            // Error bodies are small; a runaway one is cut rather than read whole.
            body = in.readNBytes(64 * 1024);
        } catch (IOException e) {
            body = new byte[0];
        }
        return CouchErrors.from(response.statusCode(), body);
    }

    private static void discard(HttpResponse<InputStream> response) {
        try (InputStream in = response.body()) {
            in.transferTo(OutputStream.nullOutputStream());
        } catch (IOException ignored) {
            // The connection is dropped rather than reused; nothing else depends on it.
        }
    }

    private ArborException unreachable(CouchRequest request, IOException e) {
        return new ArborException.Internal("HTTP " + request.method() + " " + root + request.path() + " failed: " + e, e);
    }

    /** Stops the client. Open streams and running requests fail. */
    @Override
    public void close() {
        client.shutdownNow();
        executor.shutdownNow();
    }
}
