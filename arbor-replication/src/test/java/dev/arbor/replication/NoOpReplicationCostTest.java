package dev.arbor.replication;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.api.Database;
import dev.arbor.api.Seq;
import dev.arbor.api.Storage;
import dev.arbor.core.json.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Issue 5's cost goal, pinned by counting rather than timing: a replication resumed from its checkpoint reads
 * the source's changes since that checkpoint and nothing else, so its cost follows the changes made since the
 * last run, not the size of the database. Both peers are real engine databases seen through
 * {@link CountingDatabase}.
 */
class NoOpReplicationCostTest {
    private static final int DOCS = 10_000;

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
    void aResumedReplicationReadsOnlyTheChangesSinceItsCheckpointAndOneWithNothingToDoReadsNoRows(Engine engine) {
        storage = engine.storage(dir);
        Database origin = storage.createDatabase("origin");
        CountingDatabase source = new CountingDatabase(origin);
        CountingDatabase target = new CountingDatabase(storage.createDatabase("copy"));
        writeDocs(origin, 0, DOCS);

        ReplicationResult first = Replicator.replicate(source.database(), target.database(), ReplicationOptions.DEFAULT);
        assertEquals(DOCS, first.docsWritten(), first.errors().toString());
        assertEquals(DOCS, source.reads().changesRows(), "the first run reads the whole log");

        // Three changes since the checkpoint: two new documents and an edit of an old one.
        writeDocs(origin, DOCS, 2);
        ObjectNode edited = origin.get(id(17));
        origin.put(edited.put("edited", true));
        source.reset();
        target.reset();

        ReplicationResult second = Replicator.replicate(source.database(), target.database(), ReplicationOptions.DEFAULT);
        assertEquals(3, second.docsWritten(), second.errors().toString());
        assertEquals(Seq.of(DOCS), second.startSeq(), "resumed from the first run's checkpoint");
        CountingDatabase.Reads fromSource = source.reads();
        CountingDatabase.Reads fromTarget = target.reads();
        assertEquals(3, fromSource.changesRows(), "changes rows read from the source");
        assertEquals(3, fromTarget.revsDiffEntries(), "revisions the target was asked about");
        assertEquals(3, fromSource.revisionsFetched(), "revisions fetched from the source");
        assertEquals(1, fromSource.calls("changes"), fromSource.calls().toString());
        assertEquals(1, fromSource.calls("bulkGet"), fromSource.calls().toString());
        assertEquals(2, fromSource.dataReadCalls(), "nothing but one changes read and one bulk_get: " + fromSource.calls());
        assertEquals(1, fromTarget.dataReadCalls(), "nothing but one revs_diff: " + fromTarget.calls());

        source.reset();
        target.reset();
        ReplicationResult third = Replicator.replicate(source.database(), target.database(), ReplicationOptions.DEFAULT);
        assertEquals(0, third.docsWritten());
        assertEquals(0, third.changesRead());
        assertEquals(0, source.reads().changesRows(), "a run with nothing to do reads no changes rows");
        assertEquals(0, source.reads().revisionsFetched());
        assertEquals(1, source.reads().dataReadCalls(), "one empty changes read: " + source.reads().calls());
        assertEquals(0, target.reads().revsDiffEntries());
        assertEquals(0, target.reads().dataReadCalls(), "nothing asked of the target: " + target.reads().calls());
    }

    private static String id(int n) {
        return String.format("doc-%05d", n);
    }

    private static void writeDocs(Database db, int from, int count) {
        for (int start = from; start < from + count; start += 1_000) {
            List<ObjectNode> docs = new ArrayList<>();
            for (int n = start; n < Math.min(from + count, start + 1_000); n++) {
                docs.add(Json.object().put("_id", id(n)).put("n", n));
            }
            db.bulkDocs(docs);
        }
    }
}
