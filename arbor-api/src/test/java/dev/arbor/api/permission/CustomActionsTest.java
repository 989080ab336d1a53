package dev.arbor.api.permission;

import dev.arbor.api.custom.Api;
import dev.arbor.api.custom.ApiPermission;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Custom APIs' actions are granted by statements as the built-in ones are, in the one open category, "api". */
class CustomActionsTest {
    private static final ResourceName COUNTERS = ResourceName.api("counters");

    @Test
    void aStatementGrantsACustomActionByNameOrByTheApiCategory() {
        Permissions byName = Permissions.of(new Statement(List.of(COUNTERS), List.of("api.increment_counter")));
        assertTrue(byName.allowed(COUNTERS, "api.increment_counter"));
        assertFalse(byName.allowed(COUNTERS, "api.reset_counter"));
        assertFalse(byName.allowed(ResourceName.api("other"), "api.increment_counter"));

        Permissions byCategory = Permissions.of(Statement.grantAll(ResourceName.of("arbor", "api"), "api"));
        assertTrue(byCategory.allowed(COUNTERS, "api.reset_counter"));
        assertTrue(byCategory.allowed(COUNTERS, Action.API_CALL));
        assertFalse(byCategory.allowed(COUNTERS, "kv.set"));
    }

    @Test
    void onlyTheApiCategoryIsOpenSoAMisspeltBuiltInActionIsStillRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Statement(List.of(COUNTERS), List.of("databse.read_document")));
        assertThrows(IllegalArgumentException.class, () -> new Statement(List.of(COUNTERS), List.of("kv.sett")));
        assertThrows(IllegalArgumentException.class, () -> new Statement(List.of(COUNTERS), List.of("api.")));
        assertThrows(IllegalArgumentException.class, () -> new Statement(List.of(COUNTERS), List.of("api.with space")));
    }

    @Test
    void anApiNeedsApiCallOnItsNameUnlessItDeclaresAnother() {
        record Ping() {}
        Api<Ping, Ping> ping = Api.of("ping", Ping.class, Ping.class);
        assertEquals(new ApiPermission("api.call", ResourceName.api("ping")), ping.permission());
        assertEquals(null, ping.openToAll().permission());
        assertThrows(IllegalArgumentException.class, () -> new ApiPermission("database.frobnicate", COUNTERS));
        assertThrows(IllegalArgumentException.class, () -> Api.of("has space", Ping.class, Ping.class));
    }
}
