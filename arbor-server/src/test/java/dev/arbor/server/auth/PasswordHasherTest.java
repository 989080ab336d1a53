package dev.arbor.server.auth;

import dev.arbor.core.error.ArborException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PasswordHasherTest {
    private final PasswordHasher hasher = new PasswordHasher("sha256", 1000);

    @Test
    void sha1MatchesRfc6070Vectors() {
        assertEquals("0c60c80f961f0e71f3a9b524af6012062fe037a6", PasswordHasher.pbkdf2Hex("sha", "password", "salt", 1));
        assertEquals("4b007901b765489abead49d926f721d065a429c1", PasswordHasher.pbkdf2Hex("sha", "password", "salt", 4096));
    }

    @Test
    void sha256MatchesRfc7914VectorsTruncatedToOneHashLength() {
        assertEquals("55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc",
                PasswordHasher.pbkdf2Hex("sha256", "passwd", "salt", 1));
        assertEquals("4ddcd8f60b98be21830cee5ef22701f9641a4418d04c0414aeff08876b34ab56",
                PasswordHasher.pbkdf2Hex("sha256", "Password", "NaCl", 80000));
    }

    @Test
    void nonAsciiPasswordsAreHashedAsUtf8LikeCouchDb() {
        // Computed independently with Python's hashlib (OpenSSL) over the UTF-8 bytes.
        assertEquals("7811290dfee2a1539bddf0727bf568b34d3ec0ee7c2ccb78e5620e1256d38fd3",
                PasswordHasher.pbkdf2Hex("sha256", "pässwörd", "1234567890abcdef1234567890abcdef", 10));
    }

    @Test
    void aHashVerifiesItsPasswordAndNoOther() {
        PasswordHash.Pbkdf2 hash = hasher.hash("correct horse");
        assertTrue(hasher.verify("correct horse", hash));
        assertFalse(hasher.verify("correct horsE", hash));
        assertFalse(hasher.verify("", hash));
    }

    @Test
    void newHashesUseTheConfiguredPrfIterationsAndAFreshHexSalt() {
        PasswordHash.Pbkdf2 first = hasher.hash("pw");
        PasswordHash.Pbkdf2 second = hasher.hash("pw");
        assertEquals("sha256", first.prf());
        assertEquals(1000, first.iterations());
        assertTrue(first.salt().matches("[0-9a-f]{32}"), first.salt());
        assertEquals(64, first.derivedKey().length());
        assertNotEquals(first.salt(), second.salt());
        assertNotEquals(first.derivedKey(), second.derivedKey());
    }

    @Test
    void verificationUsesTheIterationsStoredWithTheHashNotTheCurrentSetting() {
        PasswordHash.Pbkdf2 old = new PasswordHasher("sha256", 7).hash("pw");
        assertTrue(new PasswordHasher("sha256", 2000).verify("pw", old));
    }

    @Test
    void sha1HashesFromOlderCouchDbStillVerify() {
        var stored = new PasswordHash.Pbkdf2("sha", "0c60c80f961f0e71f3a9b524af6012062fe037a6", "salt", 1);
        assertTrue(hasher.verify("password", stored));
        assertFalse(hasher.verify("Password", stored));
    }

    @Test
    void legacySimpleShaHashesVerify() {
        var stored = new PasswordHash.Simple("b5bd2dd46998d6cd7428a47f212617b14952276f", "salt123");
        assertTrue(hasher.verify("apple", stored));
        assertFalse(hasher.verify("pear", stored));
    }

    @Test
    void absurdIterationCountsAreRefusedInsteadOfComputed() {
        var stored = new PasswordHash.Pbkdf2("sha256", "00", "salt", PasswordHasher.MAX_ITERATIONS + 1);
        var e = assertThrows(ArborException.Forbidden.class, () -> hasher.verify("pw", stored));
        assertEquals("Iteration count is too high for this server", e.reason());
    }

    @Test
    void iniValueRoundTripsInCouchDbsAdminFormat() {
        PasswordHash.Pbkdf2 hash = hasher.hash("pw");
        String ini = hash.toIniValue();
        assertTrue(ini.matches("-pbkdf2:sha256-[0-9a-f]{64},[0-9a-f]{32},1000"), ini);
        assertEquals(hash, PasswordHash.parseIniValue(ini).orElseThrow());
    }

    @Test
    void olderCouchDbAdminFormatsAreRead() {
        var sha1 = PasswordHash.parseIniValue("-pbkdf2-43ecbd256a70a3a2f7de40d2374b6c3002918834,921a12f74df0c1052b3e562a23cd227f,10000")
                .orElseThrow();
        assertEquals(new PasswordHash.Pbkdf2("sha", "43ecbd256a70a3a2f7de40d2374b6c3002918834",
                "921a12f74df0c1052b3e562a23cd227f", 10000), sha1);
        var simple = PasswordHash.parseIniValue("-hashed-6d3c30241ba0aaa4e16c6ea99224f915687ed8cd,7f4a3e05e0cbc6f48a0035e3508eef90")
                .orElseThrow();
        assertInstanceOf(PasswordHash.Simple.class, simple);
    }

    @Test
    void plainTextIsNotMistakenForAHash() {
        assertTrue(PasswordHash.parseIniValue("mysecretpassword").isEmpty());
        assertFalse(PasswordHash.looksHashed("mysecretpassword"));
        assertTrue(PasswordHash.looksHashed("-pbkdf2:sha256-aa,bb,1"));
    }
}
