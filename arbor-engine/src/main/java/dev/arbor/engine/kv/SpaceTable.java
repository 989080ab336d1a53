package dev.arbor.engine.kv;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.IntFunction;

/**
 * What a store keeps per space (a column family handle, an in-memory map), indexed by {@link Space#ordinal()}: every
 * read and write resolves its space with one array read. Built when the store opens and never changed, so any
 * thread reads it without synchronisation.
 */
final class SpaceTable<T> {
    private final List<Space> spaces;
    private final Object[] byOrdinal;

    /** A table of {@code spaces}, the value of the {@code i}th being {@code value.apply(i)}. */
    SpaceTable(List<Space> spaces, IntFunction<T> value) {
        this.spaces = distinct(spaces);
        int size = 0;
        for (Space space : spaces) {
            size = Math.max(size, space.ordinal() + 1);
        }
        byOrdinal = new Object[size];
        for (int i = 0; i < spaces.size(); i++) {
            byOrdinal[spaces.get(i).ordinal()] = value.apply(i);
        }
    }

    /** {@code spaces}, copied, if no space is listed twice. */
    static List<Space> distinct(List<Space> spaces) {
        Set<Space> seen = new HashSet<>();
        for (Space space : spaces) {
            if (!seen.add(space)) {
                throw new IllegalArgumentException("space " + space + " is listed twice");
            }
        }
        return List.copyOf(spaces);
    }

    /** The spaces of the store, in the order it was given them. */
    List<Space> spaces() {
        return spaces;
    }

    /** The values, in the order of {@link #spaces()}. */
    List<T> values() {
        return spaces.stream().map(this::get).toList();
    }

    @SuppressWarnings("unchecked")
    T get(Space space) {
        int ordinal = space.ordinal();
        Object value = ordinal < byOrdinal.length ? byOrdinal[ordinal] : null;
        if (value == null) {
            throw notOpened(space);
        }
        return (T) value;
    }

    /** A programming error: the feature owning the space was not wired into the store's opener. */
    private static IllegalStateException notOpened(Space space) {
        return new IllegalStateException("space " + space + " is not one of this store's: the store was opened"
                + " without the feature that registers it");
    }
}
