package dev.arbor.server.auth;

import dev.arbor.core.error.ArborException;
import dev.arbor.server.http.UserCtx;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * Works out who sent a request, in CouchDB 3's default handler order: the {@code AuthSession} cookie
 * first, then HTTP Basic. A valid cookie wins and the {@code Authorization} header is not looked at; an
 * invalid or expired cookie is ignored. Wrong Basic credentials are a 401 with CouchDB's
 * {@code "Name or password is incorrect."}; no credentials at all is anonymous.
 */
public final class Authenticator {
    static final String WRONG_CREDENTIALS = "Name or password is incorrect.";

    /** Which handler authenticated the request, named as {@code GET /_session} reports it. */
    public enum Handler {
        COOKIE("cookie"), DEFAULT("default");

        private final String couchName;

        Handler(String couchName) {
            this.couchName = couchName;
        }

        public String couchName() {
            return couchName;
        }
    }

    /**
     * The caller of one request.
     *
     * @param handler         null when anonymous
     * @param refreshedCookie a {@code Set-Cookie} header value to send back when the session cookie was
     *                        reissued (past half its life), else null
     */
    public record Authentication(UserCtx user, Handler handler, String refreshedCookie) {
        public static final Authentication ANONYMOUS = new Authentication(UserCtx.ANONYMOUS, null, null);
    }

    private final UserDirectory users;
    private final PasswordHasher hasher;
    private final SessionCookies cookies;
    private final VerifiedPasswords verified = new VerifiedPasswords();
    private final AuthLockout lockout;

    Authenticator(UserDirectory users, PasswordHasher hasher, SessionCookies cookies, AuthLockout lockout) {
        this.users = users;
        this.hasher = hasher;
        this.cookies = cookies;
        this.lockout = lockout;
    }

    /**
     * Authenticates from the raw {@code Authorization} and {@code Cookie} headers (either may be null).
     *
     * @param secure whether the request came over TLS, so a reissued cookie is marked {@code Secure}
     * @param peer   the client's address, which failed passwords are counted under ({@link AuthLockout}); null
     *               when unknown
     */
    public Authentication authenticate(String authorizationHeader, String cookieHeader, boolean secure, String peer) {
        Optional<String> cookie = SessionCookies.fromCookieHeader(cookieHeader);
        if (cookie.isPresent()) {
            if (cookies.check(cookie.get(), users::find) instanceof SessionCookies.Check.Valid valid) {
                String refreshed = valid.needsRefresh()
                        ? cookies.setCookieHeader(cookies.issue(valid.user()), secure)
                        : null;
                return new Authentication(valid.user().userCtx(), Handler.COOKIE, refreshed);
            }
        }
        Optional<String[]> basic = basicCredentials(authorizationHeader);
        if (basic.isEmpty()) {
            return Authentication.ANONYMOUS;
        }
        StoredUser user = checkPassword(basic.get()[0], basic.get()[1], peer)
                .orElseThrow(() -> new ArborException.Unauthorized(WRONG_CREDENTIALS));
        return new Authentication(user.userCtx(), Handler.DEFAULT, null);
    }

    /**
     * The user named {@code name} when {@code password} is theirs; empty for an unknown name or a wrong password.
     *
     * @throws ArborException.Forbidden when the user's failures from {@code peer} locked them out there
     */
    Optional<StoredUser> checkPassword(String name, String password, String peer) {
        Optional<StoredUser> user = users.find(name);
        if (user.isEmpty()) {
            return Optional.empty();
        }
        PasswordHash stored = user.get().password();
        lockout.requireNotLockedOut(peer, name, stored.salt());
        if (verified.contains(name, password, stored)) {
            return user;
        }
        if (!hasher.verify(password, stored)) {
            lockout.failed(peer, name, stored.salt());
            return Optional.empty();
        }
        verified.add(name, password, stored);
        return user;
    }

    /** A {@code Set-Cookie} value starting a session for {@code user}. */
    String sessionCookie(StoredUser user, boolean secure) {
        return cookies.setCookieHeader(cookies.issue(user), secure);
    }

    String clearedSessionCookie(boolean secure) {
        return cookies.clearCookieHeader(secure);
    }

    /**
     * {@code [name, password]} from a Basic header, as CouchDB's {@code basic_name_pw} reads it: only a value
     * starting with exactly {@code "Basic "} counts, so another scheme, {@code "Basic:"}, {@code "basic"} or a bare
     * {@code "Basic"} is no credential at all and the request is anonymous. Empty too without a colon in the
     * decoded value, or for the logout pair {@code _:_}. Base64 that does not decode is CouchDB's 400.
     */
    static Optional<String[]> basicCredentials(String header) {
        if (header == null || !header.startsWith("Basic ")) {
            return Optional.empty();
        }
        String decoded = new String(decodeBase64(header.substring("Basic ".length())), StandardCharsets.UTF_8);
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            return Optional.empty();
        }
        String name = decoded.substring(0, colon);
        String password = decoded.substring(colon + 1);
        if (name.equals("_") && password.equals("_")) {
            return Optional.empty();
        }
        return Optional.of(new String[] {name, password});
    }

    /**
     * Strict base64 as Erlang's {@code base64:decode} takes it: whitespace is skipped, padding is required
     * (Java's decoder would accept {@code YWRtaW4} without it; CouchDB refuses it).
     */
    private static byte[] decodeBase64(String value) {
        String compact = value.replaceAll("\\s+", "");
        if (compact.length() % 4 != 0) {
            throw new ArborException.BadRequest("bad_request", "Authorization header has invalid base64 value");
        }
        try {
            return Base64.getDecoder().decode(compact);
        } catch (IllegalArgumentException e) {
            throw new ArborException.BadRequest("bad_request", "Authorization header has invalid base64 value");
        }
    }
}
