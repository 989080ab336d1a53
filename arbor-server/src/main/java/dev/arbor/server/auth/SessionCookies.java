package dev.arbor.server.auth;

import dev.arbor.core.error.ArborException;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The {@code AuthSession} cookie in CouchDB's format: base64url (unpadded) of
 * {@code name:TIMESTAMP:hmac}, where TIMESTAMP is the issue time in seconds since the epoch in uppercase
 * hex and hmac the raw HMAC-SHA-256 of {@code name:TIMESTAMP} keyed by the server secret followed by the
 * user's salt. Keying with the salt means a password change (which makes a new salt) ends every session.
 *
 * <p>A cookie is valid for {@code timeout} seconds from its timestamp. Past half its life it is reissued
 * with a fresh timestamp on the next request (CouchDB reissues after 10% of it; half is Arbor's choice,
 * fewer Set-Cookie headers for the same effect). A bad signature, an unknown user or an expired cookie
 * leave the request anonymous, as in CouchDB; only an undecodable cookie is a 400.
 */
final class SessionCookies {
    static final String NAME = "AuthSession";
    private static final DateTimeFormatter EXPIRES = DateTimeFormatter
            .ofPattern("EEE, dd-MMM-yyyy HH:mm:ss 'GMT'", Locale.ROOT).withZone(ZoneOffset.UTC);

    /** The outcome of checking a cookie. */
    sealed interface Check {
        /** Signed by this server for a known user and not expired. */
        record Valid(StoredUser user, long issuedAt, boolean needsRefresh) implements Check {}

        /** Unknown user, wrong signature or expired: the request continues as anonymous. */
        record Rejected(String why) implements Check {}
    }

    private final byte[] secret;
    private final int timeoutSeconds;
    private final Clock clock;

    SessionCookies(String secret, int timeoutSeconds, Clock clock) {
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
        this.timeoutSeconds = timeoutSeconds;
        this.clock = clock;
    }

    int timeoutSeconds() {
        return timeoutSeconds;
    }

    /** A cookie value for {@code user}, issued now. */
    String issue(StoredUser user) {
        return issue(user.name(), user.password().salt(), clock.instant().getEpochSecond());
    }

    String issue(String name, String salt, long issuedAt) {
        String payload = name + ":" + Long.toHexString(issuedAt).toUpperCase(Locale.ROOT);
        byte[] mac = hmac(salt, payload);
        var bytes = new ByteArrayOutputStream();
        bytes.writeBytes(payload.getBytes(StandardCharsets.UTF_8));
        bytes.write(':');
        bytes.writeBytes(mac);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes.toByteArray());
    }

    /**
     * Checks a cookie value, looking its user up with {@code users}. Throws {@code bad_request} when the
     * value is not a cookie this format can hold.
     */
    Check check(String value, Function<String, Optional<StoredUser>> users) {
        byte[] decoded;
        try {
            decoded = Base64.getUrlDecoder().decode(stripPadding(value));
        } catch (IllegalArgumentException e) {
            throw malformed();
        }
        int first = indexOf(decoded, 0);
        int second = first < 0 ? -1 : indexOf(decoded, first + 1);
        if (second < 0) {
            throw malformed();
        }
        String name = new String(decoded, 0, first, StandardCharsets.UTF_8);
        String time = new String(decoded, first + 1, second - first - 1, StandardCharsets.US_ASCII);
        byte[] mac = Arrays.copyOfRange(decoded, second + 1, decoded.length);
        long issuedAt;
        try {
            issuedAt = Long.parseLong(time, 16);
        } catch (NumberFormatException e) {
            return new Check.Rejected("timestamp is not hex");
        }
        Optional<StoredUser> user = users.apply(name);
        if (user.isEmpty()) {
            return new Check.Rejected("no such user");
        }
        byte[] expected = hmac(user.get().password().salt(), name + ":" + time);
        if (!MessageDigest.isEqual(expected, mac)) {
            return new Check.Rejected("signature does not match");
        }
        long now = clock.instant().getEpochSecond();
        if (now >= issuedAt + timeoutSeconds) {
            return new Check.Rejected("expired");
        }
        boolean refresh = now - issuedAt >= timeoutSeconds / 2;
        return new Check.Valid(user.get(), issuedAt, refresh);
    }

    /** The {@code Set-Cookie} header value carrying {@code value}, with CouchDB's attributes. */
    String setCookieHeader(String value, boolean secure) {
        Instant expires = clock.instant().plusSeconds(timeoutSeconds);
        return NAME + "=" + value + "; Version=1; Expires=" + EXPIRES.format(expires) + "; Max-Age=" + timeoutSeconds
                + "; Path=/; HttpOnly" + (secure ? "; Secure" : "");
    }

    /**
     * The {@code Set-Cookie} header value that ends a session. CouchDB sends an empty cookie that lives on
     * for the timeout; expiring it at once has the same effect and leaves no empty cookie behind.
     */
    String clearCookieHeader(boolean secure) {
        return NAME + "=; Version=1; Expires=Thu, 01-Jan-1970 00:00:00 GMT; Max-Age=0; Path=/; HttpOnly"
                + (secure ? "; Secure" : "");
    }

    /** The {@code AuthSession} value in a {@code Cookie} request header; empty when absent or empty. */
    static Optional<String> fromCookieHeader(String cookieHeader) {
        if (cookieHeader == null) {
            return Optional.empty();
        }
        for (String part : cookieHeader.split(";")) {
            int eq = part.indexOf('=');
            if (eq > 0 && part.substring(0, eq).strip().equals(NAME)) {
                String value = part.substring(eq + 1).strip();
                if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                    value = value.substring(1, value.length() - 1);
                }
                return value.isEmpty() ? Optional.empty() : Optional.of(value);
            }
        }
        return Optional.empty();
    }

    private byte[] hmac(String salt, String payload) {
        try {
            byte[] saltBytes = salt.getBytes(StandardCharsets.UTF_8);
            byte[] key = Arrays.copyOf(secret, secret.length + saltBytes.length);
            System.arraycopy(saltBytes, 0, key, secret.length, saltBytes.length);
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(payload.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new ArborException.Internal("cookie signing failed", e);
        }
    }

    private static ArborException malformed() {
        return new ArborException.BadRequest("bad_request", "Malformed AuthSession cookie. Please clear your cookies.");
    }

    private static String stripPadding(String value) {
        int end = value.length();
        while (end > 0 && value.charAt(end - 1) == '=') {
            end--;
        }
        return value.substring(0, end);
    }

    private static int indexOf(byte[] bytes, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == ':') {
                return i;
            }
        }
        return -1;
    }
}
