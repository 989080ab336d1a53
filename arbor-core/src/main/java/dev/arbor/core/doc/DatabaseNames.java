package dev.arbor.core.doc;

import dev.arbor.core.error.ArborException;

import java.util.Set;
import java.util.regex.Pattern;

/**
 * CouchDB's rule for database names ({@code couch_db:validate_dbname} in CouchDB 3): a lowercase letter, then
 * lowercase letters, digits and {@code _ $ ( ) + - /}; or one of the system databases, alone or under a
 * legal prefix ({@code "accounts/_replicator"} is a replicator database of its own in CouchDB).
 */
public final class DatabaseNames {
    /**
     * The longest name CouchDB 3 can create: its shard file name {@code NAME.<10-digit timestamp>.couch}
     * must fit the usual 255-byte file name limit.
     */
    public static final int MAX_LENGTH = 238;

    private static final Pattern LEGAL = Pattern.compile("[a-z][a-z0-9_$()+/-]*");

    /**
     * The system databases a client may create or open by name. CouchDB's list also holds {@code _dbs},
     * {@code _nodes} and {@code _metadata}, the node-local bookkeeping of its cluster, which Arbor does not have;
     * Arbor adds {@code _permissions}, its permission groups and roles.
     */
    private static final Set<String> SYSTEM_DATABASES = Set.of("_users", "_replicator", "_global_changes",
            "_permissions");

    private DatabaseNames() {}

    /**
     * Returns normally when {@code name} is a legal database name. Otherwise throws {@code illegal_database_name}
     * with CouchDB's reason text, or {@code database_name_too_long} for a legal name over {@link #MAX_LENGTH}
     * characters (CouchDB 3 reports that as a file-system failure, with this error and reason, after the
     * pattern check passes).
     */
    public static void validate(String name) {
        if (!isLegalPattern(name)) {
            throw new ArborException.BadRequest("illegal_database_name", "Name: '" + name + "'. Only lowercase"
                    + " characters (a-z), digits (0-9), and any of the characters _, $, (, ), +, -, and / are allowed."
                    + " Must begin with a letter.");
        }
        if (name.length() > MAX_LENGTH) {
            throw new ArborException.BadRequest("database_name_too_long",
                    "At least one path segment of `" + name + "` is too long.");
        }
    }

    /** Whether {@code name} is one of the system databases, possibly under a prefix ({@code "a/_users"}). */
    public static boolean isSystemDatabase(String name) {
        int slash = name.lastIndexOf('/');
        String basename = name.substring(slash + 1);
        if (!SYSTEM_DATABASES.contains(basename)) {
            return false;
        }
        return slash < 0 || LEGAL.matcher(name.substring(0, slash)).matches();
    }

    private static boolean isLegalPattern(String name) {
        return LEGAL.matcher(name).matches() || isSystemDatabase(name);
    }
}
