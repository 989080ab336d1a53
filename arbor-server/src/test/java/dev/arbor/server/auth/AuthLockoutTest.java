package dev.arbor.server.auth;

import dev.arbor.core.error.ArborException;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Failed passwords counted per address, user and salt lock that user out there for a while, as CouchDB does. */
class AuthLockoutTest {
    private final AtomicLong now = new AtomicLong(1_000_000);
    private final Clock clock = new Clock() {
        @Override public ZoneOffset getZone() { return ZoneOffset.UTC; }
        @Override public Clock withZone(java.time.ZoneId zone) { return this; }
        @Override public Instant instant() { return Instant.ofEpochMilli(now.get()); }
    };

    private AuthLockout lockout(AuthLockout.Mode mode) {
        return new AuthLockout(new AuthLockout.Settings(mode, 3, 100, 60_000), clock);
    }

    private static void fail(AuthLockout lockout, String peer, String user, String salt, int times) {
        for (int i = 0; i < times; i++) {
            lockout.requireNotLockedOut(peer, user, salt);
            lockout.failed(peer, user, salt);
        }
    }

    @Test
    void theThresholdLocksThatUserFromThatAddressOnlyUntilTheLifetimeEnds() {
        AuthLockout lockout = lockout(AuthLockout.Mode.ENFORCE);
        fail(lockout, "10.0.0.1", "joe", "salt1", 2);
        assertDoesNotThrow(() -> lockout.requireNotLockedOut("10.0.0.1", "joe", "salt1"), "below the threshold");
        lockout.failed("10.0.0.1", "joe", "salt1");
        ArborException.Forbidden locked = assertThrows(ArborException.Forbidden.class,
                () -> lockout.requireNotLockedOut("10.0.0.1", "joe", "salt1"));
        assertEquals(AuthLockout.LOCKED, locked.reason());
        assertDoesNotThrow(() -> lockout.requireNotLockedOut("10.0.0.2", "joe", "salt1"), "another address");
        assertDoesNotThrow(() -> lockout.requireNotLockedOut("10.0.0.1", "ann", "salt9"), "another user");
        assertDoesNotThrow(() -> lockout.requireNotLockedOut("10.0.0.1", "joe", "salt2"), "a new password");
        assertDoesNotThrow(() -> lockout.requireNotLockedOut(null, "joe", "salt1"), "no address, no count");

        now.addAndGet(59_999);
        assertThrows(ArborException.Forbidden.class, () -> lockout.requireNotLockedOut("10.0.0.1", "joe", "salt1"));
        now.addAndGet(1);
        assertDoesNotThrow(() -> lockout.requireNotLockedOut("10.0.0.1", "joe", "salt1"), "the lifetime ended");
        fail(lockout, "10.0.0.1", "joe", "salt1", 2);
        assertDoesNotThrow(() -> lockout.requireNotLockedOut("10.0.0.1", "joe", "salt1"), "counting starts again");
    }

    @Test
    void warnAndOffNeverRefuse() {
        for (AuthLockout.Mode mode : new AuthLockout.Mode[] {AuthLockout.Mode.WARN, AuthLockout.Mode.OFF}) {
            AuthLockout lockout = lockout(mode);
            fail(lockout, "10.0.0.1", "joe", "salt1", 10);
            assertDoesNotThrow(() -> lockout.requireNotLockedOut("10.0.0.1", "joe", "salt1"), mode.name());
        }
    }

    @Test
    void countsBeyondTheLimitAreDroppedOldestFirst() {
        AuthLockout lockout = new AuthLockout(new AuthLockout.Settings(AuthLockout.Mode.ENFORCE, 1, 2, 60_000), clock);
        lockout.failed("a", "joe", "s");
        now.incrementAndGet();
        lockout.failed("b", "joe", "s");
        now.incrementAndGet();
        lockout.failed("c", "joe", "s");
        assertDoesNotThrow(() -> lockout.requireNotLockedOut("a", "joe", "s"), "the oldest count was dropped");
        assertThrows(ArborException.Forbidden.class, () -> lockout.requireNotLockedOut("b", "joe", "s"));
        assertThrows(ArborException.Forbidden.class, () -> lockout.requireNotLockedOut("c", "joe", "s"));
    }
}
