package dev.arbor.server.auth;

import dev.arbor.core.error.ArborException;

import java.time.Clock;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * CouchDB's password brute-force lockout ({@code [chttpd_auth_lockout]}, {@code couch_auth_lockout}): failed password
 * checks are counted per (client address, user, the user's password salt); once a count reaches {@code threshold},
 * every further password check of that user from that address is refused with 403 {@code forbidden} "Account is
 * temporarily locked due to multiple authentication failures", even with the right password, until
 * {@code max_lifetime} milliseconds after the first failure. Other addresses and users are not affected; a new
 * password (a new salt) starts a new count; unknown users are never locked (their failures have no salt to count
 * under, as in CouchDB). {@code mode = warn} logs instead of refusing, {@code off} counts nothing.
 *
 * <p>At most {@code max_objects} counts are kept: past that, expired ones go first, then the oldest.
 *
 * <p>Threads: called from any request thread; the counts are in a concurrent map, each updated atomically.
 */
final class AuthLockout {
    static final String SECTION = "chttpd_auth_lockout";
    static final String LOCKED = "Account is temporarily locked due to multiple authentication failures";
    private static final System.Logger LOG = System.getLogger(AuthLockout.class.getName());

    enum Mode { OFF, WARN, ENFORCE }

    /** The settings, with CouchDB's defaults: enforce, 5 failures, 10,000 counts, 300,000 ms. */
    record Settings(Mode mode, int threshold, int maxObjects, long maxLifetimeMillis) {
        static final Settings DEFAULT = new Settings(Mode.ENFORCE, 5, 10_000, 300_000);

        static Settings load(EditableIniFile ini) {
            String mode = ini.get(SECTION, "mode").orElse("enforce").trim().toLowerCase(Locale.ROOT);
            Mode parsed = switch (mode) {
                case "off" -> Mode.OFF;
                case "warn" -> Mode.WARN;
                case "enforce" -> Mode.ENFORCE;
                default -> throw new IllegalArgumentException("[" + SECTION + "] mode must be off, warn or enforce, not "
                        + mode);
            };
            return new Settings(parsed, positive(ini, "threshold", DEFAULT.threshold),
                    positive(ini, "max_objects", DEFAULT.maxObjects),
                    positive(ini, "max_lifetime", (int) DEFAULT.maxLifetimeMillis));
        }

        private static int positive(EditableIniFile ini, String key, int fallback) {
            String value = ini.get(SECTION, key).orElse(null);
            if (value == null || value.isBlank()) {
                return fallback;
            }
            try {
                int parsed = Integer.parseInt(value.trim());
                if (parsed > 0) {
                    return parsed;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new IllegalArgumentException("[" + SECTION + "] " + key + " must be a positive integer, not " + value);
        }
    }

    private record Key(String peer, String user, String salt) {}

    private record Failures(int count, long firstMillis) {}

    private final Settings settings;
    private final Clock clock;
    private final ConcurrentHashMap<Key, Failures> failures = new ConcurrentHashMap<>();

    AuthLockout(Settings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
    }

    /**
     * Refuses a password check of {@code user} (whose stored salt is {@code salt}) from {@code peer} when its failures
     * reached the threshold; a null peer (no client address) is never locked.
     */
    void requireNotLockedOut(String peer, String user, String salt) {
        if (settings.mode() == Mode.OFF || peer == null) {
            return;
        }
        Key key = new Key(peer, user, salt);
        Failures counted = failures.get(key);
        if (counted == null) {
            return;
        }
        if (expired(counted)) {
            failures.remove(key, counted);
            return;
        }
        if (counted.count() >= settings.threshold()) {
            if (settings.mode() == Mode.ENFORCE) {
                throw new ArborException.Forbidden(LOCKED);
            }
            LOG.log(System.Logger.Level.WARNING, "authentication failure threshold reached for " + user + " from " + peer);
        }
    }

    /** Counts a failed password check. */
    void failed(String peer, String user, String salt) {
        if (settings.mode() == Mode.OFF || peer == null) {
            return;
        }
        long now = clock.millis();
        failures.compute(new Key(peer, user, salt), (key, counted) -> counted == null || expired(counted)
                ? new Failures(1, now) : new Failures(counted.count() + 1, counted.firstMillis()));
        if (failures.size() > settings.maxObjects()) {
            evict();
        }
    }

    private boolean expired(Failures counted) {
        return clock.millis() - counted.firstMillis() >= settings.maxLifetimeMillis();
    }

    private void evict() {
        failures.values().removeIf(this::expired);
        while (failures.size() > settings.maxObjects()) {
            Map.Entry<Key, Failures> oldest = null;
            for (Iterator<Map.Entry<Key, Failures>> it = failures.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<Key, Failures> entry = it.next();
                if (oldest == null || entry.getValue().firstMillis() < oldest.getValue().firstMillis()) {
                    oldest = entry;
                }
            }
            if (oldest == null) {
                return;
            }
            failures.remove(oldest.getKey(), oldest.getValue());
        }
    }
}
