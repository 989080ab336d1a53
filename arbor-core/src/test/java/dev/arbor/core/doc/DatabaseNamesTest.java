package dev.arbor.core.doc;

import dev.arbor.core.error.ArborException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DatabaseNamesTest {
    @Test
    void namesOfLowercaseLettersDigitsAndTheAllowedSymbolsAreLegal() {
        for (String name : List.of("a", "db", "my_db", "a1", "a$b", "a(b)", "a+b", "a-b", "a/b", "z0_$()+-/",
                "accounts/2024/_x")) {
            assertDoesNotThrow(() -> DatabaseNames.validate(name), name);
        }
    }

    @Test
    void systemDatabasesAreLegalAloneAndUnderALegalPrefix() {
        for (String name : List.of("_users", "_replicator", "_global_changes", "team/_replicator", "a/b/_users")) {
            assertDoesNotThrow(() -> DatabaseNames.validate(name), name);
            assertTrue(DatabaseNames.isSystemDatabase(name), name);
        }
        assertFalse(DatabaseNames.isSystemDatabase("users"));
        assertFalse(DatabaseNames.isSystemDatabase("_Users/_replicator"));
    }

    @Test
    void illegalNamesAreRejectedWithCouchDbsErrorAndReason() {
        for (String name : List.of("", "A", "Abc", "1db", "_db", "_design", "_dbs", "_nodes", "db.name", "db name",
                "d\u00E9j\u00E0", "db\n", "-db", "$db", "/db", "_users/x", "Bad/_users", "_users/_replicator")) {
            ArborException.BadRequest e = assertThrows(ArborException.BadRequest.class,
                    () -> DatabaseNames.validate(name), name);
            assertEquals("illegal_database_name", e.error());
            assertEquals("Name: '" + name + "'. Only lowercase characters (a-z), digits (0-9), and any of the"
                    + " characters _, $, (, ), +, -, and / are allowed. Must begin with a letter.", e.reason());
        }
    }

    @Test
    void namesUpTo238CharactersAreLegalAndLongerOnesAreTooLong() {
        String longest = "a".repeat(DatabaseNames.MAX_LENGTH);
        assertDoesNotThrow(() -> DatabaseNames.validate(longest));
        String tooLong = longest + "b";
        ArborException.BadRequest e = assertThrows(ArborException.BadRequest.class,
                () -> DatabaseNames.validate(tooLong));
        assertEquals("database_name_too_long", e.error());
        assertEquals("At least one path segment of `" + tooLong + "` is too long.", e.reason());
    }
}
