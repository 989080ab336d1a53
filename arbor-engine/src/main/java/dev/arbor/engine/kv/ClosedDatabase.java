package dev.arbor.engine.kv;

import dev.arbor.core.error.ArborException;

/** What a use of a closed database reports: the caller's 404 when it was closed because it was deleted. */
public final class ClosedDatabase {
    private ClosedDatabase() {
    }

    /**
     * @param deleted whether the database was closed by its deletion; a request that raced the deletion then
     *                answers as one arriving just after it would, not with an internal error
     */
    public static ArborException error(boolean deleted) {
        return deleted ? new ArborException.NotFound("Database does not exist.")
                : new ArborException.Internal("database is closed", null);
    }
}
