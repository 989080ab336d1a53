package dev.arbor.server.protocol;

import dev.arbor.api.AllDocsOptions;
import dev.arbor.api.ChangesOptions;
import dev.arbor.api.Database;
import dev.arbor.api.find.FindRequest;
import dev.arbor.api.view.ViewQuery;
import dev.arbor.client.protocol.ProtocolStorage;
import dev.arbor.core.error.ArborException;
import dev.arbor.core.json.Json;
import dev.arbor.wire.find.FindJson;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.function.Executable;

import java.io.ByteArrayInputStream;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The facets carried by the protocol are decided as their HTTP routes are: a non-member reads nothing of a members-only
 * database (local documents, changes, Mango, views, attachments, its {@code _security}), and a member reads all of it
 * but may not do what is its admins' (compaction, purge, {@code _security}, indexes, view clean-up, design documents).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FacetAccessOverProtocolTest {
    @RegisterExtension
    static final SecuredLoopbackServer server = new SecuredLoopbackServer();

    private String attachedRev;

    @BeforeAll
    void membersOnlyDatabase() {
        Database db = server.storage().createDatabase("guarded");
        db.setSecurity(Json.parseObject("{\"members\":{\"names\":[\"member\"],\"roles\":[]},\"admins\":{\"names\":[],\"roles\":[]}}"));
        String rev = db.put(Json.parseObject("{\"_id\":\"d\",\"n\":1}")).rev();
        attachedRev = db.putAttachment("d", rev, "a.txt", "text/plain", new ByteArrayInputStream("hello".getBytes())).rev();
        db.put(Json.parseObject("{\"_id\":\"_design/v\",\"views\":{\"n\":{\"map\":\"function(doc){ emit(doc.n, null); }\"}}}"));
        db.putLocal(Json.parseObject("{\"_id\":\"_local/x\"}"));
        server.accounts().putUser("member", "memberpw", List.of(), List.of());
        server.accounts().putUser("outsider", "outsiderpw", List.of(), List.of());
    }

    private static FindRequest everything() {
        return FindJson.request(Json.parseObject("{\"selector\":{\"n\":{\"$gt\":0}}}"));
    }

    @Test
    void aNonMemberReadsNoFacetOfTheDatabase() {
        try (ProtocolStorage outsider = server.connect("outsider", "outsiderpw")) {
            Database db = outsider.database("guarded");
            List<Executable> reads = List.of(
                    () -> db.getLocal("_local/x"),
                    () -> db.localDocs(AllDocsOptions.DEFAULT, new dev.arbor.api.AllDocsResult.Collector()),
                    () -> db.changes(ChangesOptions.DEFAULT),
                    () -> db.onCommit(event -> { }),
                    () -> db.find(everything()),
                    () -> db.explain(everything()),
                    () -> db.indexes(),
                    () -> db.query("v", "n", ViewQuery.DEFAULT),
                    () -> db.viewInfo("v"),
                    () -> db.getAttachment("d", "a.txt", null),
                    () -> db.getSecurity());
            for (Executable read : reads) {
                assertEquals("forbidden", assertThrows(ArborException.Forbidden.class, read).error());
            }
        }
    }

    @Test
    void aMemberReadsEveryFacetButMayNotDoWhatIsTheAdmins() {
        try (ProtocolStorage member = server.connect("member", "memberpw")) {
            Database db = member.database("guarded");
            assertEquals("_local/x", db.getLocal("_local/x").get("_id").asText());
            assertEquals(2, db.changes(ChangesOptions.DEFAULT).results().size(), "the document and the design document");
            assertEquals(1, db.find(everything()).docs().size());
            assertEquals(1, db.query("v", "n", ViewQuery.DEFAULT).rows().size());
            assertEquals("hello", new String(db.getAttachment("d", "a.txt", null).readAllBytes()));

            List<Executable> adminsOnly = List.of(
                    db::compact,
                    () -> db.purge(Map.of("d", List.of(attachedRev))),
                    () -> db.setSecurity(Json.parseObject("{}")),
                    () -> db.createIndex(FindJson.indexDefinition(Json.parseObject("{\"index\":{\"fields\":[\"n\"]}}"))),
                    () -> db.deleteIndex("_design/x", "y"),
                    db::viewCleanup,
                    () -> db.putAttachment("_design/v", "1-x", "b.txt", "text/plain", new ByteArrayInputStream(new byte[1])));
            for (Executable write : adminsOnly) {
                assertEquals("You are not a db or server admin.", assertThrows(ArborException.Forbidden.class, write).reason());
            }
        }
    }
}
