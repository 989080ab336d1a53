package dev.arbor.client.protocol;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How a client reconnects after its connection is lost: whether at all, and the backoff between attempts, exponential
 * from {@code initialDelay} doubling up to {@code maxDelay}, each delay drawn between its half and its whole ("equal
 * jitter") so that many clients cut at once by a restart do not all come back in the same millisecond.
 *
 * <p>In a URL: {@code ws://host:5984/db?reconnect=false}, {@code ?reconnect_initial_ms=50&reconnect_max_ms=5000}.
 */
public record Reconnect(boolean enabled, Duration initialDelay, Duration maxDelay) {
    /** On, 50 ms doubling to 5 s. */
    public static final Reconnect DEFAULT = new Reconnect(true, Duration.ofMillis(50), Duration.ofSeconds(5));
    /** A lost connection stays lost: every later call fails, as before reconnection existed. */
    public static final Reconnect NEVER = new Reconnect(false, DEFAULT.initialDelay, DEFAULT.maxDelay);

    public Reconnect {
        if (initialDelay.isNegative() || initialDelay.isZero()) {
            throw new IllegalArgumentException("reconnect_initial_ms must be positive, not " + initialDelay.toMillis());
        }
        if (maxDelay.compareTo(initialDelay) < 0) {
            throw new IllegalArgumentException("reconnect_max_ms (" + maxDelay.toMillis()
                    + ") must be at least reconnect_initial_ms (" + initialDelay.toMillis() + ")");
        }
    }

    /** The wait before attempt {@code attempt} (0 for the first after a loss). */
    public Duration delay(int attempt) {
        long base = initialDelay.toNanos();
        for (int i = 0; i < attempt && base < maxDelay.toNanos(); i++) {
            base *= 2;
        }
        base = Math.min(base, maxDelay.toNanos());
        return Duration.ofNanos(base / 2 + ThreadLocalRandom.current().nextLong(base / 2 + 1));
    }

    /**
     * The policy a URL's query asks for, {@link #DEFAULT} for what it leaves out. Parameters other than these three are
     * left to whoever reads them; a bad value of one of these is an {@link IllegalArgumentException} naming it.
     */
    public static Reconnect fromQuery(String rawQuery) {
        Reconnect policy = DEFAULT;
        if (rawQuery == null || rawQuery.isEmpty()) {
            return policy;
        }
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            policy = switch (name) {
                case "reconnect" -> new Reconnect(switch (value) {
                    case "true" -> true;
                    case "false" -> false;
                    default -> throw new IllegalArgumentException("reconnect must be true or false, not \"" + value + "\"");
                }, policy.initialDelay, policy.maxDelay);
                case "reconnect_initial_ms" -> new Reconnect(policy.enabled, millis(name, value), policy.maxDelay);
                case "reconnect_max_ms" -> new Reconnect(policy.enabled, policy.initialDelay, millis(name, value));
                default -> policy;
            };
        }
        return policy;
    }

    private static Duration millis(String name, String value) {
        try {
            return Duration.ofMillis(Long.parseLong(value));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number of milliseconds, not \"" + value + "\"", e);
        }
    }
}
