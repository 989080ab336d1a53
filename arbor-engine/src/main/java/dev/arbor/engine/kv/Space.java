package dev.arbor.engine.kv;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToIntFunction;
import java.util.regex.Pattern;

/**
 * One key space of a database: a RocksDB column family (an ordered map in memory). Splitting by kind lets
 * point-lookup spaces carry bloom filters and keeps every scan one contiguous range.
 *
 * <p>The feature that owns a space registers it ({@link #register}, a constant in the feature's package), and whoever
 * opens a store passes the spaces of the features it wires; this layer knows names and tuning only. The name is the
 * column family's name on disk, so it never changes once data was written under it.
 *
 * <p>Registration hands out a process-wide ordinal, so a store finds a space's column family or map by an array
 * read on every operation, not by name. Identity is the space: equals and hashCode stay {@link Object}'s, which
 * makes a space a cheap map key ({@code WriteContext} keys every staged write by one) and is safe because a name
 * registers once.
 *
 * <p>Threads: any. Spaces are registered in the static initialisers of their features' classes.
 */
public final class Space {
    /** Column family names: lowercase, as the names of the spaces that existed when this was written ("att_data"). */
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]*");
    private static final Map<String, Space> REGISTERED = new ConcurrentHashMap<>();
    private static final AtomicInteger NEXT_ORDINAL = new AtomicInteger();

    private final String name;
    private final boolean pointLookups;
    private final boolean valuesHoldUserData;
    private final ToIntFunction<byte[]> summary;
    private final int ordinal;

    private Space(String name, boolean pointLookups, boolean valuesHoldUserData, ToIntFunction<byte[]> summary,
                  int ordinal) {
        this.name = name;
        this.pointLookups = pointLookups;
        this.valuesHoldUserData = valuesHoldUserData;
        this.summary = summary;
        this.ordinal = ordinal;
    }

    /**
     * Registers the space called {@code name}, once per process.
     *
     * @param pointLookups true where reads are mostly by exact key, so a bloom filter pays for itself
     * @throws IllegalArgumentException if the name is not a valid column family name or is registered already:
     *                                  two features writing one column family would read each other's keys
     */
    public static Space register(String name, boolean pointLookups) {
        return register(name, pointLookups, true, null);
    }

    /**
     * Registers a space whose values hold user data and have a {@code summary}: one byte (0–255) of what a value
     * says, which a scan reads of every row without the rest ({@link KvCursor#summary}), such as whether a stored
     * document is deleted. An encrypted store keeps that byte readable beside the sealed value, so such a scan opens
     * nothing; the summary must therefore say nothing a user wrote.
     */
    public static Space register(String name, boolean pointLookups, ToIntFunction<byte[]> summary) {
        return register(name, pointLookups, true, Objects.requireNonNull(summary, "summary"));
    }

    /**
     * Registers a space whose values hold nothing its keys, or the keys of another space, do not show already (ids,
     * revisions, sequence numbers, index keys): at-rest encryption leaves its values as they are, since sealing them
     * would cost every read and hide nothing. Any space whose values may carry what a user wrote is registered with
     * {@link #register(String, boolean)} instead, the default that encrypts.
     */
    public static Space registerStructural(String name, boolean pointLookups) {
        return register(name, pointLookups, false, null);
    }

    private static Space register(String name, boolean pointLookups, boolean valuesHoldUserData,
                                  ToIntFunction<byte[]> summary) {
        Objects.requireNonNull(name, "name");
        if (!NAME.matcher(name).matches() || name.equals("default")) {
            throw new IllegalArgumentException("not a space name (lowercase letters, digits, '_'): " + name);
        }
        // computeIfAbsent so that a race between two registrations of a name cannot let both through.
        Space[] created = new Space[1];
        REGISTERED.computeIfAbsent(name, n -> created[0] = new Space(n, pointLookups, valuesHoldUserData, summary,
                NEXT_ORDINAL.getAndIncrement()));
        if (created[0] == null) {
            throw new IllegalArgumentException("space " + name + " is registered already");
        }
        return created[0];
    }

    /** The column family's name on disk. */
    public String name() {
        return name;
    }

    /** True where reads are mostly by exact key, so a bloom filter pays for itself. */
    public boolean pointLookups() {
        return pointLookups;
    }

    /** True unless registered {@link #registerStructural structural}: an encrypted store seals this space's values. */
    public boolean valuesHoldUserData() {
        return valuesHoldUserData;
    }

    /** Whether this space's values have a {@link #summaryOf summary}. */
    public boolean hasSummary() {
        return summary != null;
    }

    /** The summary byte of {@code value}, a value of this space. */
    public int summaryOf(byte[] value) {
        if (summary == null) {
            throw new IllegalStateException("space " + name + " has no value summary");
        }
        int of = summary.applyAsInt(value);
        if (of < 0 || of > 255) {
            throw new IllegalStateException("the summary of a value of " + name + " is not a byte: " + of);
        }
        return of;
    }

    /** Index of this space in a store's {@link SpaceTable}: dense over the process's spaces, fixed for its life. */
    int ordinal() {
        return ordinal;
    }

    @Override
    public String toString() {
        return name;
    }
}
