package dev.arbor.engine;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.Arbor;
import dev.arbor.api.AllDocsOptions;
import dev.arbor.api.AllDocsResult;
import dev.arbor.api.AllDocsRow;
import dev.arbor.api.AttachmentStream;
import dev.arbor.api.Database;
import dev.arbor.api.DbInfo;
import dev.arbor.api.GetOptions;
import dev.arbor.api.OpenRev;
import dev.arbor.api.Storage;
import dev.arbor.api.contract.DatabaseContract;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static dev.arbor.api.contract.Fixtures.assertNotFound;
import static dev.arbor.api.contract.Fixtures.doc;
import static dev.arbor.api.contract.Fixtures.replicated;
import static dev.arbor.api.contract.Fixtures.rev;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The RocksDB engine honours the whole database contract, and keeps everything across a close and reopen. */
class RocksDatabaseContractTest extends DatabaseContract {
    // Static so nested test classes of the contract share it: one directory per test class, one storage
    // directory per test inside it.
    @TempDir
    static Path root;

    private static final AtomicInteger storages = new AtomicInteger();

    @Override
    protected Storage newStorage() {
        return Arbor.storage(root.resolve("storage-" + storages.incrementAndGet()));
    }

    @Test
    void aReopenedStorageHasEverythingItHadWhenClosed() {
        Path dir = root.resolve("reopen-" + storages.incrementAndGet());
        byte[] attachment = "kept across restarts".getBytes(StandardCharsets.UTF_8);
        ObjectNode security = doc("{'admins':{'names':['ann'],'roles':[]},'members':{'names':[],'roles':[]}}");
        String aRev, deletedRev, attachedRev;
        DbInfo infoBefore;
        try (Storage first = Arbor.storage(dir)) {
            Database kept = first.createDatabase("kept");
            first.createDatabase("other");
            String a1 = kept.put(doc("{'_id':'a','n':1}")).rev();
            ObjectNode edit = doc("{'_id':'a','n':2}");
            edit.put("_rev", a1);
            aRev = kept.put(edit).rev();
            deletedRev = kept.remove("gone", kept.put(doc("{'_id':'gone'}")).rev()).rev();
            kept.bulkDocs(List.of(replicated("conflicted", 2, "ba"), replicated("conflicted", 2, "ca")), false);
            attachedRev = kept.putAttachment("att", null, "f", "application/octet-stream",
                    new ByteArrayInputStream(attachment)).rev();
            kept.putLocal(doc("{'_id':'_local/checkpoint','seq':5}"));
            kept.setSecurity(security);
            kept.setRevsLimit(42);
            infoBefore = kept.info();
        }

        try (Storage second = Arbor.storage(dir)) {
            assertEquals(List.of("kept", "other"), second.listDatabases());
            Database kept = second.database("kept");
            DbInfo info = kept.info();
            assertEquals(infoBefore.docCount(), info.docCount());
            assertEquals(infoBefore.docDelCount(), info.docDelCount());
            assertEquals(infoBefore.updateSeq().number(), info.updateSeq().number());

            assertEquals(2, kept.get("a").get("n").asInt());
            assertEquals(aRev, kept.get("a").get("_rev").asText());
            assertNotFound("deleted", () -> kept.get("gone"));
            assertEquals(deletedRev, kept.getOpenRevs("gone", null, GetOptions.DEFAULT).stream()
                    .map(r -> ((OpenRev.Found) r).doc().get("_rev").asText()).findFirst().orElseThrow());
            Set<String> leaves = kept.getOpenRevs("conflicted", null, GetOptions.DEFAULT).stream()
                    .map(r -> ((OpenRev.Found) r).doc().get("_rev").asText()).collect(Collectors.toSet());
            assertEquals(Set.of(rev(2, 'b'), rev(2, 'c')), leaves);
            try (AttachmentStream att = kept.getAttachment("att", "f", attachedRev)) {
                assertArrayEquals(attachment, att.readAllBytes());
            }
            assertEquals(5, kept.getLocal("_local/checkpoint").get("seq").asInt());
            assertEquals(security, kept.getSecurity());
            assertEquals(42, kept.revsLimit());
            AllDocsResult all = kept.allDocs(AllDocsOptions.DEFAULT);
            assertEquals(List.of("a", "att", "conflicted"), all.rows().stream().map(AllDocsRow::id).toList());

            kept.put(doc("{'_id':'after'}"));
            assertEquals(infoBefore.updateSeq().number() + 1, kept.info().updateSeq().number(), "the sequence goes on from where it was");
        }
    }
}
