package dev.arbor.server.auth;

import dev.arbor.core.error.ArborException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SessionCookiesTest {
    private static final long T0 = 1_700_000_000L;
    private final StoredUser joe = new StoredUser("joe", List.of("staff"),
            new PasswordHash.Pbkdf2("sha256", "ab", "5a17", 10));

    private static SessionCookies at(long epochSecond) {
        return new SessionCookies("s3cret", 600, Clock.fixed(Instant.ofEpochSecond(epochSecond), ZoneOffset.UTC));
    }

    private Optional<StoredUser> lookup(String name) {
        return name.equals("joe") ? Optional.of(joe) : Optional.empty();
    }

    @Test
    void cookieIsBase64UrlOfNameHexTimestampAndRawHmac() {
        String value = at(T0).issue(joe);
        assertFalse(value.contains("=") || value.contains("+") || value.contains("/"), value);
        byte[] decoded = Base64.getUrlDecoder().decode(value);
        String prefix = "joe:" + Long.toHexString(T0).toUpperCase() + ":";
        assertEquals(prefix, new String(decoded, 0, prefix.length(), StandardCharsets.ISO_8859_1));
        assertEquals(prefix.length() + 32, decoded.length, "HMAC-SHA256 is 32 raw bytes");
    }

    @Test
    void aFreshCookieRoundTripsToItsUser() {
        String value = at(T0).issue(joe);
        var valid = assertInstanceOf(SessionCookies.Check.Valid.class, at(T0 + 10).check(value, this::lookup));
        assertEquals(joe, valid.user());
        assertEquals(T0, valid.issuedAt());
        assertFalse(valid.needsRefresh());
    }

    @Test
    void aCookiePastHalfItsLifeIsValidButDueForRefresh() {
        String value = at(T0).issue(joe);
        var valid = assertInstanceOf(SessionCookies.Check.Valid.class, at(T0 + 300).check(value, this::lookup));
        assertTrue(valid.needsRefresh());
    }

    @Test
    void anExpiredCookieIsRejected() {
        String value = at(T0).issue(joe);
        assertInstanceOf(SessionCookies.Check.Rejected.class, at(T0 + 600).check(value, this::lookup));
    }

    @Test
    void aTamperedCookieIsRejected() {
        // Same user and a later timestamp, signed with a key that is not the server's.
        String forged = new SessionCookies("guess", 600, Clock.systemUTC()).issue("joe", "5a17", T0 + 5000);
        assertInstanceOf(SessionCookies.Check.Rejected.class, at(T0 + 5001).check(forged, this::lookup));
        // A genuine cookie with its timestamp changed.
        byte[] bytes = Base64.getUrlDecoder().decode(at(T0).issue(joe));
        bytes[5] = (byte) (bytes[5] == 'F' ? 'E' : 'F');
        String edited = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        assertInstanceOf(SessionCookies.Check.Rejected.class, at(T0 + 1).check(edited, this::lookup));
    }

    @Test
    void aPasswordChangeEndsTheSessionBecauseTheSaltKeysTheHmac() {
        String value = at(T0).issue(joe);
        StoredUser changed = new StoredUser("joe", List.of(), new PasswordHash.Pbkdf2("sha256", "cd", "0ther", 10));
        assertInstanceOf(SessionCookies.Check.Rejected.class, at(T0 + 1).check(value, n -> Optional.of(changed)));
    }

    @Test
    void aCookieForAnUnknownUserIsRejected() {
        String value = at(T0).issue("ghost", "5a17", T0);
        assertInstanceOf(SessionCookies.Check.Rejected.class, at(T0 + 1).check(value, this::lookup));
    }

    @Test
    void anUndecodableCookieIsCouchDbsBadRequest() {
        var e = assertThrows(ArborException.BadRequest.class, () -> at(T0).check("not*base64!", this::lookup));
        assertEquals("Malformed AuthSession cookie. Please clear your cookies.", e.reason());
        String noColons = Base64.getUrlEncoder().encodeToString("joe".getBytes(StandardCharsets.UTF_8));
        assertThrows(ArborException.BadRequest.class, () -> at(T0).check(noColons, this::lookup));
    }

    @Test
    void setCookieCarriesCouchDbsAttributes() {
        String header = at(T0).setCookieHeader("abc", false);
        assertTrue(header.startsWith("AuthSession=abc; Version=1; Expires="), header);
        assertTrue(header.endsWith("; Max-Age=600; Path=/; HttpOnly"), header);
        assertTrue(at(T0).setCookieHeader("abc", true).endsWith("; Secure"));
        assertTrue(at(T0).clearCookieHeader(false).startsWith("AuthSession=; "));
    }

    @Test
    void theSessionValueIsFoundAmongOtherCookies() {
        assertEquals(Optional.of("xyz"), SessionCookies.fromCookieHeader("a=1; AuthSession=xyz; b=2"));
        assertEquals(Optional.of("xyz"), SessionCookies.fromCookieHeader("AuthSession=\"xyz\""));
        assertEquals(Optional.empty(), SessionCookies.fromCookieHeader("AuthSession="));
        assertEquals(Optional.empty(), SessionCookies.fromCookieHeader("XAuthSession=1"));
        assertEquals(Optional.empty(), SessionCookies.fromCookieHeader(null));
    }
}
