package dev.arbor.client;

import org.junit.jupiter.api.Test;

import java.net.URI;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A database URL, of any scheme, is its server's URL and the database's decoded name; a bad one says why. */
class DatabaseUrlTest {

    @Test
    void theLastSegmentIsTheDatabaseAndTheRestItsServer() {
        DatabaseUrl url = DatabaseUrl.ofDatabase("ws://bo:pw@127.0.0.1:5984/fruit/");
        assertEquals(URI.create("ws://bo:pw@127.0.0.1:5984/"), url.server());
        assertEquals("fruit", url.name());
        assertEquals("a/b+c", DatabaseUrl.ofDatabase("http://host/couch/a%2Fb+c").name(), "%2F decoded, + kept");
        assertEquals(URI.create("http://host/couch/"), DatabaseUrl.ofDatabase("http://host/couch/a%2Fb+c").server());
    }

    @Test
    void aUrlWithoutDatabaseOrHostIsRefusedWithoutItsCredentials() {
        var noDatabase = assertThrows(IllegalArgumentException.class, () -> DatabaseUrl.ofDatabase("wss://bo:pw@host:6984/"));
        assertTrue(noDatabase.getMessage().contains("names no database: wss://host:6984/"), noDatabase.getMessage());
        assertFalse(noDatabase.getMessage().contains("pw"), noDatabase.getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> DatabaseUrl.server("ws:///db")).getMessage()
                .contains("no host"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> DatabaseUrl.server("http://host/a b")).getMessage()
                .contains("not a valid URL"));
    }
}
