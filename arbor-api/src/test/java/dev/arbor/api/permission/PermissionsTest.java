package dev.arbor.api.permission;

import dev.arbor.core.error.ArborException;
import dev.arbor.core.json.Json;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Statements grant actions on resource names and everything below them; nothing is allowed that none grants. */
class PermissionsTest {
    private static final ResourceName BLOG = ResourceName.database("blog");

    @Test
    void nothingIsAllowedUnlessGranted() {
        assertFalse(Permissions.NONE.allowed(ResourceName.server(), Action.SERVER_CONNECT));
        assertFalse(Permissions.NONE.allowed(BLOG, Action.DATABASE_READ_DOCUMENT));
        assertInstanceOf(DocumentAccess.None.class, Permissions.NONE.documents("blog", Action.DATABASE_READ_DOCUMENT));
        assertTrue(Permissions.ALL.allowed(ResourceName.document("blog", "x"), Action.DATABASE_COMPACT));
    }

    @Test
    void aStatementOnADatabaseCoversEverythingInItAndNothingElse() {
        Permissions reader = Permissions.of(Statement.grant(BLOG, Action.DATABASE_READ_DOCUMENT));
        assertTrue(reader.allowed(ResourceName.document("blog", "post-1"), Action.DATABASE_READ_DOCUMENT));
        assertFalse(reader.allowed(ResourceName.document("blog", "post-1"), Action.DATABASE_WRITE_DOCUMENT));
        assertFalse(reader.allowed(ResourceName.document("news", "post-1"), Action.DATABASE_READ_DOCUMENT));
        assertFalse(reader.allowed(ResourceName.server(), Action.DATABASE_READ_DOCUMENT), "not above the database");
        assertInstanceOf(DocumentAccess.All.class, reader.documents("blog", Action.DATABASE_READ_DOCUMENT));
        assertInstanceOf(DocumentAccess.None.class, reader.documents("news", Action.DATABASE_READ_DOCUMENT));
    }

    @Test
    void wildcardsStandForAnyOneSegmentAndCategoriesForTheirActions() {
        Permissions everyDatabase = Permissions.of(Statement.grantAll(ResourceName.of("arbor", "database", "*"), "database"));
        assertTrue(everyDatabase.allowed(ResourceName.document("any", "d"), Action.DATABASE_WRITE_DOCUMENT));
        assertTrue(everyDatabase.allowed(BLOG, Action.DATABASE_COMPACT));
        assertFalse(everyDatabase.allowed(ResourceName.keyValueKey("blog", "k"), Action.KV_GET), "another category");
        assertFalse(everyDatabase.allowed(ResourceName.user("bob"), Action.DATABASE_READ_DOCUMENT), "another branch");

        Permissions everything = Permissions.of(Statement.grantAll(ResourceName.server(), "*"));
        assertTrue(everything.allowed(ResourceName.encryptionKey("k1"), Action.ENCRYPTION_DECRYPT));
    }

    @Test
    void documentsAreNamedByIdPrefixOrPartition() {
        Permissions alice = Permissions.of(
                Statement.grant(ResourceName.documentsWithPrefix("blog", "alice/"), Action.DATABASE_READ_DOCUMENT),
                Statement.grant(ResourceName.partition("blog", "shared"), Action.DATABASE_READ_DOCUMENT),
                Statement.grant(ResourceName.document("blog", "about"), Action.DATABASE_READ_DOCUMENT));
        assertTrue(alice.allowed(ResourceName.document("blog", "alice/1"), Action.DATABASE_READ_DOCUMENT));
        assertTrue(alice.allowed(ResourceName.document("blog", "shared:x"), Action.DATABASE_READ_DOCUMENT));
        assertTrue(alice.allowed(ResourceName.document("blog", "about"), Action.DATABASE_READ_DOCUMENT));
        assertFalse(alice.allowed(ResourceName.document("blog", "bob/1"), Action.DATABASE_READ_DOCUMENT));
        assertFalse(alice.allowed(ResourceName.document("blog", "about2"), Action.DATABASE_READ_DOCUMENT));
        assertFalse(alice.allowed(BLOG, Action.DATABASE_READ_DOCUMENT), "some documents are not the database");

        DocumentAccess access = alice.documents("blog", Action.DATABASE_READ_DOCUMENT);
        assertEquals(new DocumentAccess.Some(Set.of("about"), List.of("alice/", "shared:")), access);
        assertTrue(access.includes("alice/7") && access.includes("shared:q") && access.includes("about"));
        assertFalse(access.includes("bob/1") || access.includes("abou") || access.includes("shared"));
        assertInstanceOf(DocumentAccess.None.class, alice.documents("blog", Action.DATABASE_WRITE_DOCUMENT));
    }

    @Test
    void aCollectionIsItsRecordsIdPrefix() {
        Permissions tasks = Permissions.of(Statement.grant(ResourceName.collection("app", "acme.tasks"),
                Action.DATABASE_READ_DOCUMENT));
        assertTrue(tasks.allowed(ResourceName.document("app", "acme.tasks:17"), Action.DATABASE_READ_DOCUMENT));
        assertFalse(tasks.allowed(ResourceName.document("app", "acme.tasks2:1"), Action.DATABASE_READ_DOCUMENT));
        assertEquals(new DocumentAccess.Some(Set.of(), List.of("acme.tasks:")),
                tasks.documents("app", Action.DATABASE_READ_DOCUMENT));
    }

    @Test
    void aPartOfADocumentIsNotTheDocument() {
        Permissions one = Permissions.of(Statement.grant(
                ResourceName.of("arbor", "database", "blog", "document", "d", "attachment", "a.txt"),
                Action.DATABASE_READ_DOCUMENT));
        assertInstanceOf(DocumentAccess.None.class, one.documents("blog", Action.DATABASE_READ_DOCUMENT));
        assertFalse(one.allowed(ResourceName.document("blog", "d"), Action.DATABASE_READ_DOCUMENT));
    }

    @Test
    void usersReachStatementsThroughTheirGroupsAndTheirRolesGroups() {
        Map<String, PermissionGroup> groups = Map.of(
                "readers", new PermissionGroup("readers", List.of(Statement.grant(BLOG, Action.DATABASE_READ_DOCUMENT))),
                "writers", new PermissionGroup("writers", List.of(Statement.grant(BLOG, Action.DATABASE_WRITE_DOCUMENT))),
                "kv", new PermissionGroup("kv", List.of(Statement.grantAll(BLOG, "kv"))));
        Map<String, Role> roles = Map.of("editor", new Role("editor", List.of("readers", "writers")));

        Permissions editor = Permissions.resolve(List.of(), List.of("editor"), groups, roles);
        assertTrue(editor.allowed(BLOG, Action.DATABASE_WRITE_DOCUMENT));
        assertFalse(editor.allowed(ResourceName.keyValueKey("blog", "k"), Action.KV_SET));

        Permissions both = Permissions.resolve(List.of("kv", "missing"), List.of("editor", "no-such-role"), groups, roles);
        assertTrue(both.allowed(ResourceName.keyValueKey("blog", "k"), Action.KV_SET));
        assertTrue(both.allowed(BLOG, Action.DATABASE_READ_DOCUMENT));
        assertFalse(Permissions.resolve(List.of(), List.of(), groups, roles).allowed(BLOG, Action.DATABASE_READ_DOCUMENT));
    }

    @Test
    void checkRefusesWithForbidden() {
        ArborException.Forbidden refused = assertThrows(ArborException.Forbidden.class,
                () -> Permissions.NONE.check(BLOG, Action.DATABASE_COMPACT));
        assertTrue(refused.getMessage().contains("database.compact"), refused.getMessage());
    }

    @Test
    void statementsReadAndWriteTheirJson() {
        String json = "{\"resources\":[[\"arbor\",\"database\",\"blog\",\"document\",{\"prefix\":\"alice/\"}],"
                + "[\"arbor\",\"database\",\"*\",\"kv\",7]],\"actions\":[\"database.read_document\",\"kv.*\"]}";
        Statement statement = Statement.fromJson(Json.parse(json));
        assertEquals(json, Json.text(statement.toJson()));
        assertTrue(statement.allows(ResourceName.document("blog", "alice/x"), Action.DATABASE_READ_DOCUMENT));
        assertTrue(statement.allows(ResourceName.of("arbor", "database", "any", "kv", 7), Action.KV_DELETE));
        assertFalse(statement.allows(ResourceName.of("arbor", "database", "any", "kv", "7"), Action.KV_DELETE),
                "an integer segment and a string are different names");
    }

    @Test
    void malformedStatementsAreRefusedNamingWhatIsWrong() {
        for (String[] bad : new String[][] {
                {"[]", "is an object"},
                {"{\"resources\":[],\"actions\":[\"*\"]}", "at least one resource"},
                {"{\"resources\":[[\"arbor\"]],\"actions\":[]}", "at least one action"},
                {"{\"resources\":[\"arbor\"],\"actions\":[\"*\"]}", "non-empty array of segments"},
                {"{\"resources\":[[]],\"actions\":[\"*\"]}", "non-empty array of segments"},
                {"{\"resources\":[[\"arbor\",1.5]],\"actions\":[\"*\"]}", "not 1.5"},
                {"{\"resources\":[[\"arbor\",{\"suffix\":\"x\"}]],\"actions\":[\"*\"]}", "{\"prefix\": \"...\"}"},
                {"{\"resources\":[[\"arbor\"]],\"actions\":[\"database.fly\"]}", "unknown action \"database.fly\""},
                {"{\"resources\":[[\"arbor\"]],\"actions\":[\"nothing.*\"]}", "unknown action"},
                {"{\"resources\":[[\"arbor\"]],\"actions\":[3]}", "an action is a string"}}) {
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                    () -> Statement.fromJson(Json.parse(bad[0])), bad[0]);
            assertTrue(refused.getMessage().contains(bad[1]), bad[0] + " → " + refused.getMessage());
        }
    }
}
