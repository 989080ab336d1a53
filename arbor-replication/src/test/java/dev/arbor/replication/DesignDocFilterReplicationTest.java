package dev.arbor.replication;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.api.AllDocsOptions;
import dev.arbor.api.AllDocsRow;
import dev.arbor.api.ChangesOptions;
import dev.arbor.api.Database;
import dev.arbor.api.Seq;
import dev.arbor.api.Storage;
import dev.arbor.core.json.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Replications selected by a design document's filter function (run by the source) or by a view. */
class DesignDocFilterReplicationTest {
    private static final String BY_TYPE = "function(doc, req) { return doc.type === req.query.type; }";

    @TempDir
    Path dir;
    private Storage storage;

    @AfterEach
    void close() {
        if (storage != null) {
            storage.close();
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void aFilterWithQueryParamsReplicatesWhatItPassesAndASecondRunResumesFromTheCheckpoint(Engine engine) {
        storage = engine.storage(dir);
        Database source = storage.createDatabase("source");
        Database target = storage.createDatabase("target");
        source.put(designDoc(BY_TYPE));
        writeTyped(source, 30);
        ReplicationOptions typeA = ReplicationOptions.DEFAULT.filter("app/byType").queryParams(Map.of("type", "a"));

        ReplicationResult first = Replicator.replicate(source, target, typeA);
        assertTrue(first.ok(), first.errors().toString());
        assertEquals(List.of("a-00", "a-03", "a-06", "a-09", "a-12", "a-15", "a-18", "a-21", "a-24", "a-27"), ids(target));
        assertEquals(10, first.changesRead(), "the source filtered its feed: only passing changes reach the replicator");

        source.put(Json.parseObject("{\"_id\":\"a-late\",\"type\":\"a\"}"));
        source.put(Json.parseObject("{\"_id\":\"b-late\",\"type\":\"b\"}"));
        ReplicationResult second = Replicator.replicate(source, target, typeA);
        assertEquals(first.lastSeq(), second.startSeq(), "resumed from the first run's checkpoint");
        assertEquals(1, second.docsWritten());
        assertTrue(ids(target).contains("a-late"));
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void editingTheFilterFunctionGivesANewReplicationIdThatStartsFromZero(Engine engine) {
        storage = engine.storage(dir);
        Database source = storage.createDatabase("source");
        Database target = storage.createDatabase("target");
        String ddocRev = source.put(designDoc(BY_TYPE)).rev();
        writeTyped(source, 9);
        ReplicationOptions typeB = ReplicationOptions.DEFAULT.filter("app/byType").queryParams(Map.of("type", "b"));
        ReplicationResult first = Replicator.replicate(source, target, typeB);
        assertEquals(3, first.docsWritten());

        ObjectNode edited = designDoc("function(doc, req) { return doc.type === req.query.type || doc.type === 'c'; }");
        edited.put("_rev", ddocRev);
        source.put(edited);
        ReplicationId before = ReplicationId.of("source", "target", BY_TYPE, typeB);
        ReplicationResult second = Replicator.replicate(source, target, typeB);
        assertEquals(before.toString(), first.replicationId());
        assertNotEquals(first.replicationId(), second.replicationId(), "the id hashes the filter's code");
        assertEquals(Seq.ZERO, second.startSeq(), "no checkpoint under the new id");
        assertEquals(6, second.changesRead(), "every b and c change, read again from the start");
        assertEquals(3, second.docsWritten(), "the b docs were there already; the c docs are new");
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void theViewFilterReplicatesWhatTheViewsMapFunctionEmitsFor(Engine engine) {
        storage = engine.storage(dir);
        Database source = storage.createDatabase("source");
        Database target = storage.createDatabase("target");
        ObjectNode ddoc = designDoc(BY_TYPE);
        ddoc.putObject("views").putObject("cs").put("map", "function(doc) { if (doc.type === 'c') emit(doc._id, null); }");
        source.put(ddoc);
        writeTyped(source, 6);
        ReplicationResult result = Replicator.replicate(source, target, ReplicationOptions.DEFAULT
                .filter(ChangesOptions.VIEW_FILTER).queryParams(Map.of("view", "app/cs")));
        assertTrue(result.ok(), result.errors().toString());
        assertEquals(List.of("c-02", "c-05"), ids(target));
    }

    private static ObjectNode designDoc(String filter) {
        ObjectNode ddoc = Json.parseObject("{\"_id\":\"_design/app\"}");
        ddoc.putObject("filters").put("byType", filter);
        return ddoc;
    }

    /** Docs {@code a-00, b-01, c-02, a-03, ...}: their type cycles a, b, c. */
    private static void writeTyped(Database db, int count) {
        for (int i = 0; i < count; i++) {
            String type = String.valueOf((char) ('a' + i % 3));
            db.put(Json.parseObject("{\"_id\":\"" + type + "-" + String.format("%02d", i) + "\",\"type\":\"" + type + "\"}"));
        }
    }

    private static List<String> ids(Database db) {
        return db.allDocs(AllDocsOptions.DEFAULT).rows().stream().map(AllDocsRow::id).toList();
    }
}
