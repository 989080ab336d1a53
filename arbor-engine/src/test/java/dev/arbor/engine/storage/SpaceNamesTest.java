package dev.arbor.engine.storage;

import dev.arbor.Arbor;
import dev.arbor.api.AttachmentStream;
import dev.arbor.api.Database;
import dev.arbor.api.DocResult;
import dev.arbor.api.Storage;
import dev.arbor.api.find.FindRequest;
import dev.arbor.api.find.IndexDefinition;
import dev.arbor.api.view.ViewQuery;
import dev.arbor.api.view.ViewRow;
import dev.arbor.core.json.Json;
import dev.arbor.engine.kv.RocksKvStore;
import dev.arbor.engine.kv.Space;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.DBOptions;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The column families on disk keep the names they had when the spaces were an enum (its constants lowercased), so
 * data directories written then open with all their data. The names are spelled out here, not derived.
 */
class SpaceNamesTest {
    static {
        RocksDB.loadLibrary(); // before the first LRUCache, which is native too
    }

    /** Name → point lookups (bloom filters), as the enum declared them. */
    private static final Map<String, Boolean> PREVIOUS = new TreeMap<>(Map.ofEntries(
            Map.entry("docs", true), Map.entry("revs", true), Map.entry("seq", false), Map.entry("local", true),
            Map.entry("att_data", false), Map.entry("att_index", true), Map.entry("meta", false),
            Map.entry("mango_rows", false), Map.entry("mango_docs", true), Map.entry("view_rows", false),
            Map.entry("view_docs", true), Map.entry("view_reduce", false), Map.entry("kv", true)));

    @Test
    void theEnginesSpacesKeepTheirNamesAndTuning() {
        Map<String, Boolean> now = EngineSpaces.ALL.stream()
                .collect(Collectors.toMap(Space::name, Space::pointLookups, (a, b) -> a, TreeMap::new));
        assertEquals(PREVIOUS, now);
        assertEquals(PREVIOUS.size(), EngineSpaces.ALL.size());
    }

    @Test
    void aDirectoryWrittenUnderThePreviousNamesOpensWithItsDataAndNoNewColumnFamily(@TempDir Path dir)
            throws RocksDBException {
        writeWithRawRocksDb(dir, PREVIOUS.keySet());
        try (LRUCache cache = new LRUCache(8 << 20);
             RocksKvStore store = new RocksKvStore(dir, cache, EngineSpaces.ALL)) {
            for (Space space : EngineSpaces.ALL) {
                assertArrayEquals(bytes("value in " + space.name()), store.get(space, bytes("key")), space.name());
            }
        }
        assertEquals(withDefault(PREVIOUS.keySet()), columnFamilies(dir));
    }

    @Test
    void aStoredDatabaseHoldsExactlyThoseColumnFamiliesAndReopensWithEveryFeaturesData(@TempDir Path dir)
            throws RocksDBException {
        String attachedRev;
        try (Storage storage = Arbor.storage(dir)) {
            Database db = storage.createDatabase("db");
            db.createIndex(IndexDefinition.of("n").ddoc("p").name("n"));
            db.put(Json.parseObject("{\"_id\":\"_design/d\",\"views\":{\"n\":{\"map\":"
                    + "\"function (doc) { if (doc.n) emit(doc.n, null); }\"}}}"));
            DocResult.Ok doc = db.put(Json.parseObject("{\"_id\":\"a\",\"n\":1}"));
            attachedRev = db.putAttachment("a", doc.rev(), "f.txt", "text/plain",
                    new ByteArrayInputStream(bytes("attached"))).rev();
            db.putLocal(Json.parseObject("{\"_id\":\"_local/l\",\"x\":1}"));
            db.keyValue().orElseThrow().set("k", 7L);
            assertEquals(1, db.find(FindRequest.of(Json.parse("{\"n\":1}"))).docs().size());
            assertEquals(1, db.query("d", "n", ViewQuery.builder().build()).rows().size());
        }
        assertEquals(withDefault(PREVIOUS.keySet()), columnFamilies(dir.resolve("dbs").resolve(EngineStorage.directoryName("db"))));

        try (Storage storage = Arbor.storage(dir)) {
            Database db = storage.database("db");
            assertEquals(attachedRev, db.get("a").get("_rev").asText());
            try (AttachmentStream att = db.getAttachment("a", "f.txt", attachedRev)) {
                assertArrayEquals(bytes("attached"), att.readAllBytes());
            }
            assertEquals(1, db.getLocal("_local/l").get("x").asInt());
            assertEquals(Optional.of(7L), db.keyValue().orElseThrow().get("k", Long.class));
            var found = db.find(FindRequest.of(Json.parse("{\"n\":1}")).update(false).executionStats(true));
            assertEquals(1, found.docs().size(), "the index rows were read from mango_rows");
            List<ViewRow> rows = db.query("d", "n", ViewQuery.builder().update(ViewQuery.Update.FALSE).build()).rows();
            assertEquals(List.of("a"), rows.stream().map(ViewRow::id).toList(), "the view rows were read from view_rows");
        }
    }

    private static void writeWithRawRocksDb(Path dir, Set<String> names) throws RocksDBException {
        List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
        descriptors.add(new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY));
        names.forEach(name -> descriptors.add(new ColumnFamilyDescriptor(bytes(name))));
        List<ColumnFamilyHandle> handles = new ArrayList<>();
        try (DBOptions options = new DBOptions().setCreateIfMissing(true).setCreateMissingColumnFamilies(true);
             RocksDB db = RocksDB.open(options, dir.toString(), descriptors, handles)) {
            for (int i = 1; i < handles.size(); i++) {
                db.put(handles.get(i), bytes("key"), bytes("value in " + new String(descriptors.get(i).getName(),
                        StandardCharsets.UTF_8)));
            }
            handles.forEach(ColumnFamilyHandle::close);
        }
    }

    private static Set<String> columnFamilies(Path dir) throws RocksDBException {
        try (Options options = new Options()) {
            return RocksDB.listColumnFamilies(options, dir.toString()).stream()
                    .map(name -> new String(name, StandardCharsets.UTF_8)).collect(Collectors.toCollection(TreeSet::new));
        }
    }

    private static Set<String> withDefault(Set<String> names) {
        Set<String> all = new TreeSet<>(names);
        all.add("default");
        return all;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
