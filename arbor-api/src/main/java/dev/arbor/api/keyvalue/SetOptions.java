package dev.arbor.api.keyvalue;

import dev.arbor.core.error.ArborException;

import java.time.Duration;
import java.time.Instant;

/**
 * How {@link KeyValueStore#set} writes, as BonsaiDb's {@code set_key} builder. Immutable; each method
 * returns a copy: {@code SetOptions.DEFAULT.onlyIfVacant().expireIn(Duration.ofSeconds(30))}.
 *
 * @param mustBeVacant    write only when the key has no (unexpired) value ({@link #onlyIfVacant()})
 * @param mustExist       write only when it has one ({@link #onlyIfExists()})
 * @param returnsPrevious report the value the key had before the call in {@link SetResult#previous()}
 *                        ({@link #returnPrevious()})
 * @param expiration      when the written key expires
 */
public record SetOptions(boolean mustBeVacant, boolean mustExist, boolean returnsPrevious, Expiration expiration) {
    public static final SetOptions DEFAULT = new SetOptions(false, false, false, Expiration.NEVER);

    public SetOptions {
        if (mustBeVacant && mustExist) {
            throw new ArborException.BadRequest("bad_request", "a key cannot be set only if vacant and only if it exists");
        }
        if (expiration == null) {
            throw new ArborException.BadRequest("bad_request", "expiration cannot be null (use Expiration.NEVER)");
        }
    }

    public SetOptions onlyIfVacant() {
        return new SetOptions(true, mustExist, returnsPrevious, expiration);
    }

    public SetOptions onlyIfExists() {
        return new SetOptions(mustBeVacant, true, returnsPrevious, expiration);
    }

    public SetOptions returnPrevious() {
        return new SetOptions(mustBeVacant, mustExist, true, expiration);
    }

    public SetOptions expiration(Expiration value) {
        return new SetOptions(mustBeVacant, mustExist, returnsPrevious, value);
    }

    public SetOptions expireIn(Duration ttl) {
        return expiration(Expiration.in(ttl));
    }

    public SetOptions expireAt(Instant instant) {
        return expiration(Expiration.at(instant));
    }

    public SetOptions keepExistingExpiration() {
        return expiration(Expiration.KEEP_EXISTING);
    }
}
