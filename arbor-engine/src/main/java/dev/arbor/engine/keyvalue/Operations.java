package dev.arbor.engine.keyvalue;

import dev.arbor.api.keyvalue.Expiration;
import dev.arbor.api.keyvalue.KeyStatus;
import dev.arbor.api.keyvalue.Numeric;
import dev.arbor.api.keyvalue.Overflow;
import dev.arbor.api.keyvalue.SetOptions;
import dev.arbor.api.keyvalue.SetResult;
import dev.arbor.api.keyvalue.SwapResult;
import dev.arbor.api.keyvalue.Value;
import dev.arbor.core.error.ArborException;
import dev.arbor.engine.keyvalue.KeyOperation.Outcome;

import java.util.Objects;
import java.util.Optional;

/** The key-value operations, each a {@link KeyOperation}: the semantics, apart from storage and locking. */
final class Operations {
    private Operations() {}

    static KeyOperation<SetResult> set(Value value, SetOptions options) {
        Objects.requireNonNull(value, "value");
        return (current, now) -> {
            Optional<Value> previous = options.returnsPrevious() && current != null ? Optional.of(current.value()) : Optional.empty();
            if ((options.mustBeVacant() && current != null) || (options.mustExist() && current == null)) {
                return Outcome.unchanged(new SetResult(KeyStatus.NOT_CHANGED, previous));
            }
            StoredEntry next = new StoredEntry(value, expiresAt(options.expiration(), current, now));
            return Outcome.store(next, new SetResult(current == null ? KeyStatus.INSERTED : KeyStatus.UPDATED, previous));
        };
    }

    private static long expiresAt(Expiration expiration, StoredEntry current, long now) {
        return switch (expiration) {
            case Expiration.Never n -> StoredEntry.NEVER;
            case Expiration.KeepExisting k -> current == null ? StoredEntry.NEVER : current.expiresAt();
            case Expiration.After after -> StoredEntry.expiry(saturatedAdd(now, after.ttl().toMillis()));
            case Expiration.At at -> StoredEntry.expiry(at.instant().toEpochMilli());
        };
    }

    private static long saturatedAdd(long a, long b) {
        long sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
    }

    static KeyOperation<Optional<Value>> take() {
        return (current, now) -> current == null ? Outcome.unchanged(Optional.empty()) : Outcome.remove(Optional.of(current.value()));
    }

    static KeyOperation<KeyStatus> delete() {
        return (current, now) -> current == null ? Outcome.unchanged(KeyStatus.NOT_CHANGED) : Outcome.remove(KeyStatus.DELETED);
    }

    /** Adds {@code amount} (negative to decrement) to the integer at the key, as BonsaiDb's integer {@code Numeric} arithmetic. */
    static KeyOperation<Long> addInteger(long amount, boolean subtract, Overflow overflow) {
        return (current, now) -> {
            long existing = current == null ? 0 : numeric(current).longValue();
            long result = subtract ? subtract(existing, amount, overflow) : add(existing, amount, overflow);
            return Outcome.store(new StoredEntry(new Numeric.Integer(result), keptExpiry(current)), result);
        };
    }

    static KeyOperation<Double> addFloat(double amount) {
        return (current, now) -> {
            double existing = current == null ? 0.0 : numeric(current).doubleValue();
            double result = existing + amount;
            return Outcome.store(new StoredEntry(new Numeric.Float(result), keptExpiry(current)), result);
        };
    }

    private static long keptExpiry(StoredEntry current) {
        return current == null ? StoredEntry.NEVER : current.expiresAt();
    }

    private static Numeric numeric(StoredEntry entry) {
        if (entry.value() instanceof Numeric n) {
            return n;
        }
        throw new ArborException.BadRequest("bad_request", "the key holds a non-numeric value: " + entry.value().getClass().getSimpleName());
    }

    static long add(long a, long b, Overflow overflow) {
        long sum = a + b;
        if (((a ^ sum) & (b ^ sum)) >= 0) {
            return sum;
        }
        return switch (overflow) {
            case WRAP -> sum;
            case SATURATE -> b > 0 ? Long.MAX_VALUE : Long.MIN_VALUE;
            case CHECKED -> throw overflowed(a, "+", b);
        };
    }

    static long subtract(long a, long b, Overflow overflow) {
        long difference = a - b;
        if (((a ^ b) & (a ^ difference)) >= 0) {
            return difference;
        }
        return switch (overflow) {
            case WRAP -> difference;
            case SATURATE -> b < 0 ? Long.MAX_VALUE : Long.MIN_VALUE;
            case CHECKED -> throw overflowed(a, "-", b);
        };
    }

    private static ArborException overflowed(long a, String op, long b) {
        return new ArborException.BadRequest("bad_request", "integer overflow: " + a + " " + op + " " + b + " does not fit in 64 bits");
    }

    static KeyOperation<SwapResult> compareAndSwap(Optional<Value> expected, Value replacement) {
        Objects.requireNonNull(replacement, "replacement");
        return (current, now) -> {
            Optional<Value> actual = current == null ? Optional.empty() : Optional.of(current.value());
            if (!actual.equals(expected)) {
                return Outcome.unchanged(new SwapResult.Mismatch(actual));
            }
            return Outcome.store(new StoredEntry(replacement, keptExpiry(current)), new SwapResult.Swapped());
        };
    }
}
