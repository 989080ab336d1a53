package dev.arbor.server.protocol;

import dev.arbor.api.AtomicWrite;
import dev.arbor.api.AtomicWrites;
import dev.arbor.api.Database;
import dev.arbor.api.DocResult;
import dev.arbor.api.key.Key;
import dev.arbor.api.key.Keys;
import dev.arbor.api.permission.Action;
import dev.arbor.api.permission.PermissionGroup;
import dev.arbor.api.permission.ResourceName;
import dev.arbor.api.permission.Statement;
import dev.arbor.api.view.typed.Emitter;
import dev.arbor.api.view.typed.MappedDocument;
import dev.arbor.api.view.typed.TypedView;
import dev.arbor.client.protocol.ProtocolStorage;
import dev.arbor.core.error.ArborException;
import dev.arbor.core.json.Json;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Atomic batches (collections' transactions) and typed views over the protocol, as a user of a server with logins:
 * the batch commits on the server all or none, a caller narrowed to some documents may batch those alone, and typed
 * views, which read every document, are for callers who may read the whole database.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AtomicWritesOverProtocolTest {
    @RegisterExtension
    static final SecuredLoopbackServer server = new SecuredLoopbackServer();

    record Unregistered() implements TypedView<String, Long> {
        @Override public String name() { return "not-registered"; }
        @Override public Key<String> keyType() { return Keys.STRING; }
        @Override public Class<Long> valueType() { return Long.class; }
        @Override public void map(MappedDocument doc, Emitter<String, Long> emit) {}
    }

    @BeforeAll
    void users() {
        Database shared = server.storage().createDatabase("ledger");
        shared.setSecurity(Json.parseObject("{\"members\":{\"names\":[\"nobody\"],\"roles\":[]},\"admins\":{\"names\":[],\"roles\":[]}}"));
        server.accounts().putGroup(new PermissionGroup("alices", List.of(Statement.grant(
                ResourceName.documentsWithPrefix("ledger", "alice/"), Action.DATABASE_READ_DOCUMENT,
                Action.DATABASE_WRITE_DOCUMENT, Action.DATABASE_QUERY_VIEW))));
        server.accounts().putUser("alice", "alicepw", List.of(), List.of("alices"));
    }

    private static AtomicWrites atomic(ProtocolStorage storage) {
        return storage.database("ledger").atomicWrites().orElseThrow();
    }

    private static AtomicWrite edit(String json) {
        return new AtomicWrite.Edit(Json.parseObject(json));
    }

    @Test
    void aBatchCommitsOnTheServerInOneWrite() {
        try (ProtocolStorage admin = server.connectAsAdmin()) {
            long before = server.storage().database("ledger").info().updateSeq().number();
            List<DocResult.Ok> written = atomic(admin).bulkDocsAllOrNothing(List.of(
                    edit("{\"_id\":\"batch/1\"}"), edit("{\"_id\":\"batch/2\"}"),
                    new AtomicWrite.Overwrite(Json.parseObject("{\"_id\":\"batch/3\",\"_rev\":\"9-ignored\"}"))));
            assertEquals(List.of("batch/1", "batch/2", "batch/3"), written.stream().map(DocResult.Ok::id).toList());
            assertEquals(before + 3, server.storage().database("ledger").info().updateSeq().number());
        }
    }

    @Test
    void aStaleRevisionFailsTheWholeBatchAndWritesNothing() {
        try (ProtocolStorage admin = server.connectAsAdmin()) {
            admin.database("ledger").put(Json.parseObject("{\"_id\":\"stale/1\"}"));
            assertThrows(ArborException.Conflict.class, () -> atomic(admin).bulkDocsAllOrNothing(List.of(
                    edit("{\"_id\":\"stale/2\"}"), edit("{\"_id\":\"stale/1\"}"))));
            assertThrows(ArborException.NotFound.class, () -> server.storage().database("ledger").get("stale/2"));
        }
    }

    @Test
    void aCallerNarrowedToSomeDocumentsBatchesThoseAloneAndARefusedBatchWritesNothing() {
        try (ProtocolStorage alice = server.connect("alice", "alicepw")) {
            assertEquals(2, atomic(alice).bulkDocsAllOrNothing(List.of(
                    edit("{\"_id\":\"alice/a\"}"), edit("{\"_id\":\"alice/b\"}"))).size());
            ArborException.Forbidden refused = assertThrows(ArborException.Forbidden.class, () -> atomic(alice)
                    .bulkDocsAllOrNothing(List.of(edit("{\"_id\":\"alice/c\"}"), edit("{\"_id\":\"bob/a\"}"))));
            assertTrue(refused.reason().contains("bob/a"), refused.reason());
            assertThrows(ArborException.NotFound.class, () -> server.storage().database("ledger").get("alice/c"));
        }
    }

    @Test
    void aWriteWithoutAnIdIsRefusedAsTheEmbeddedDatabaseRefusesIt() {
        try (ProtocolStorage admin = server.connectAsAdmin(); ProtocolStorage alice = server.connect("alice", "alicepw")) {
            var refused = assertThrows(ArborException.PreconditionFailed.class,
                    () -> atomic(admin).bulkDocsAllOrNothing(List.of(edit("{\"n\":1}"))));
            assertTrue(refused.reason().contains("_id"), refused.reason());
            assertThrows(ArborException.PreconditionFailed.class,
                    () -> atomic(alice).bulkDocsAllOrNothing(List.of(edit("{\"_id\":\"alice/d\"}"), edit("{\"n\":1}"))));
            assertThrows(ArborException.NotFound.class, () -> server.storage().database("ledger").get("alice/d"));
        }
    }

    @Test
    void aBatchInASystemDatabaseIsForServerAdmins() {
        try (ProtocolStorage alice = server.connect("alice", "alicepw")) {
            assertThrows(ArborException.class, () -> alice.database("_users").atomicWrites().orElseThrow()
                    .bulkDocsAllOrNothing(List.of(edit("{\"_id\":\"org.couchdb.user:mallory\",\"name\":\"mallory\","
                            + "\"type\":\"user\",\"roles\":[\"_admin\"],\"password\":\"x\"}"))));
            assertThrows(ArborException.NotFound.class, () -> server.storage().database("_users").get("org.couchdb.user:mallory"));
        }
    }

    @Test
    void aTypedViewIsForCallersWhoMayReadTheWholeDatabase() {
        try (ProtocolStorage alice = server.connect("alice", "alicepw")) {
            var views = alice.database("ledger").typedViews().orElseThrow();
            ArborException.Forbidden refused = assertThrows(ArborException.Forbidden.class, () -> views.view(new Unregistered()));
            assertTrue(refused.reason().contains("whole database"), refused.reason());
        }
    }

    @Test
    void aTypedViewTheServersStorageDoesNotRunIsNotFound() {
        try (ProtocolStorage admin = server.connectAsAdmin()) {
            var views = admin.database("ledger").typedViews().orElseThrow();
            ArborException.NotFound missing = assertThrows(ArborException.NotFound.class, () -> views.view(new Unregistered()));
            assertTrue(missing.reason().contains("not-registered"), missing.reason());
        }
    }
}
