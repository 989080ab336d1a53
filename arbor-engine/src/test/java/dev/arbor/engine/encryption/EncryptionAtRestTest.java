package dev.arbor.engine.encryption;

import dev.arbor.Arbor;
import dev.arbor.ArborOptions;
import dev.arbor.api.AttachmentStream;
import dev.arbor.api.Database;
import dev.arbor.api.DocResult;
import dev.arbor.api.Storage;
import dev.arbor.api.find.FindRequest;
import dev.arbor.api.find.IndexDefinition;
import dev.arbor.api.view.ViewQuery;
import dev.arbor.core.error.ArborException;
import dev.arbor.core.json.Json;
import dev.arbor.engine.kv.RocksKvStore;
import dev.arbor.engine.storage.EngineSpaces;
import dev.arbor.engine.storage.EngineStorage;
import dev.arbor.engine.store.DatabaseKeys;
import dev.arbor.engine.store.DocSpaces;
import dev.arbor.options.EncryptionOptions;
import dev.arbor.options.KeyRotationReport;
import dev.arbor.options.VaultKeyStorage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.LRUCache;
import org.rocksdb.RocksDB;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An encrypted storage leaves no user data readable in any file of its data directory, reads back everything it
 * sealed, refuses to open without its key or with another, and rotates keys without losing a value.
 */
class EncryptionAtRestTest {
    static {
        RocksDB.loadLibrary();
    }

    /** One marker per kind of stored value, so a leak names what leaked. */
    private static final List<String> MARKERS = List.of("BODYMARKERxq7", "ATTACHMENTMARKERxq7", "LOCALMARKERxq7",
            "VIEWVALUEMARKERxq7", "REDUCEMARKERxq7", "KVMARKERxq7", "CONFLICTMARKERxq7", "SECURITYMARKERxq7");

    @TempDir
    Path data;
    @TempDir
    Path keys;

    private ArborOptions encrypted() {
        return ArborOptions.DEFAULT.encryption(EncryptionOptions.with(VaultKeyStorage.keyFile(keys.resolve("master.key"))));
    }

    @Test
    void noFileUnderTheDataDirectoryHoldsAnyValueInPlaintextWhileOpenOrAfterClose() throws IOException {
        try (Storage storage = Arbor.storage(data, encrypted())) {
            writeEveryKindOfValue(storage.createDatabase("db"));
            // Open: values live in the WAL and memtables; the WAL is on disk.
            assertEquals(List.of(), leakedMarkers(data));
        }
        // Closed: flushed to SST files.
        assertEquals(List.of(), leakedMarkers(data));
        try (Storage storage = Arbor.storage(data, encrypted())) {
            readEveryKindOfValue(storage.database("db"));
            storage.database("db").compact();
        }
        assertEquals(List.of(), leakedMarkers(data));
    }

    @Test
    void theSameWritesUnencryptedLeaveEveryMarkerReadableSoTheScanFindsLeaks(@TempDir Path plain) throws IOException {
        try (Storage storage = Arbor.storage(plain, ArborOptions.DEFAULT)) {
            writeEveryKindOfValue(storage.createDatabase("db"));
        }
        assertEquals(MARKERS, leakedMarkers(plain));
    }

    @Test
    void aWrongKeyFailsClearlyAndChangesNothingOnDisk() throws IOException {
        try (Storage storage = Arbor.storage(data, encrypted())) {
            writeEveryKindOfValue(storage.createDatabase("db"));
        }
        VaultKeyStorage another = VaultKeyStorage.keyFile(keys.resolve("other.key"));
        another.masterKey(new byte[16], true);
        Map<Path, String> before = listing(data);
        ArborOptions otherKey = ArborOptions.DEFAULT.encryption(EncryptionOptions.with(another));
        var wrong = assertThrows(ArborException.PreconditionFailed.class, () -> Arbor.storage(data, otherKey));
        assertEquals("encryption_key_wrong", wrong.error());
        assertTrue(wrong.getMessage().contains("not the key the storage was encrypted with"), wrong.getMessage());
        assertEquals(before, listing(data));

        try (Storage storage = Arbor.storage(data, encrypted())) {
            readEveryKindOfValue(storage.database("db"));
        }
    }

    @Test
    void noKeyFailsClearlyAndChangesNothingOnDisk() throws IOException {
        try (Storage storage = Arbor.storage(data, encrypted())) {
            writeEveryKindOfValue(storage.createDatabase("db"));
        }
        Map<Path, String> before = listing(data);
        var withoutVault = assertThrows(ArborException.PreconditionFailed.class,
                () -> Arbor.storage(data, ArborOptions.DEFAULT));
        assertEquals("encryption_key_missing", withoutVault.error());
        Path moved = keys.resolve("moved.key");
        Files.move(keys.resolve("master.key"), moved);
        var fileGone = assertThrows(ArborException.PreconditionFailed.class, () -> Arbor.storage(data, encrypted()));
        assertEquals("encryption_key_missing", fileGone.error());
        assertTrue(fileGone.getMessage().contains("master.key"), fileGone.getMessage());
        assertEquals(before, listing(data));

        Files.move(moved, keys.resolve("master.key"));
        try (Storage storage = Arbor.storage(data, encrypted())) {
            readEveryKindOfValue(storage.database("db"));
        }
    }

    @Test
    void theKeyFileMayNotLieInTheDataDirectory() {
        ArborOptions inside = ArborOptions.DEFAULT.encryption(
                EncryptionOptions.with(VaultKeyStorage.keyFile(data.resolve("master.key"))));
        var refused = assertThrows(ArborException.PreconditionFailed.class, () -> Arbor.storage(data, inside));
        assertEquals("bad_encryption_config", refused.error());
        assertFalse(Files.exists(data.resolve("master.key")));
    }

    @Test
    void aPassphraseOpensWhatItEncryptedAndAnotherDoesNot() {
        ArborOptions right = ArborOptions.DEFAULT.encryption(EncryptionOptions.with(VaultKeyStorage.passphrase(
                "correct horse battery staple".toCharArray())));
        try (Storage storage = Arbor.storage(data, right)) {
            storage.createDatabase("db").put(Json.parseObject("{\"_id\":\"a\",\"secret\":\"" + MARKERS.get(0) + "\"}"));
        }
        ArborOptions wrong = ArborOptions.DEFAULT.encryption(EncryptionOptions.with(VaultKeyStorage.passphrase(
                "correct horse battery stapler".toCharArray())));
        assertEquals("encryption_key_wrong",
                assertThrows(ArborException.PreconditionFailed.class, () -> Arbor.storage(data, wrong)).error());
        try (Storage storage = Arbor.storage(data, right)) {
            assertEquals(MARKERS.get(0), storage.database("db").get("a").get("secret").asText());
        }
    }

    @Test
    void aRotationReencryptsEverythingAndLeavesNoCiphertextOfTheOldKeyInAnyFile() throws Exception {
        try (Storage storage = Arbor.storage(data, encrypted())) {
            Database db = storage.createDatabase("db");
            writeEveryKindOfValue(db);
            for (int i = 0; i < 2_000; i++) {
                db.put(Json.parseObject("{\"_id\":\"bulk" + i + "\",\"m\":" + i + "}"));
            }
        }
        byte[] oldTag = sealedTagOf(data, "db", "a");
        assertTrue(containsInAnyFile(data, oldTag), "the probe finds a sealed value in the SST files");

        KeyRotationReport report;
        try (Storage storage = Arbor.storage(data, encrypted())) {
            int before = keyNumberOf(storage, "default");
            report = Arbor.rotateEncryptionKey(storage, "default").get(60, TimeUnit.SECONDS);
            assertEquals(List.of(before), report.retired());
            assertEquals(1, report.databases());
            assertTrue(report.rewritten() > 2_000, "rewrote " + report.rewritten());
            // Writes after the rotation and reads of the rewritten values work without a restart.
            storage.database("db").put(Json.parseObject("{\"_id\":\"after\",\"secret\":\"x\"}"));
            readEveryKindOfValue(storage.database("db"));
        }
        assertFalse(containsInAnyFile(data, oldTag), "the old key's ciphertext is gone from every file");
        assertEquals(List.of(), leakedMarkers(data));
        // The old key is gone from the keyring: every value reads, so none is sealed under it.
        try (Storage storage = Arbor.storage(data, encrypted())) {
            readEveryKindOfValue(storage.database("db"));
            assertEquals(2_005, storage.database("db").info().docCount(), "a, c, two design docs, the bulk and after");
        }
    }

    @Test
    void writesAndReadsGoOnWhileARotationRewrites() throws Exception {
        try (Storage storage = Arbor.storage(data, encrypted())) {
            Database db = storage.createDatabase("db");
            for (int i = 0; i < 3_000; i++) {
                db.put(Json.parseObject("{\"_id\":\"d" + i + "\",\"v\":0}"));
            }
            var rotation = Arbor.rotateEncryptionKey(storage, "default");
            int updated = 0;
            while (!rotation.isDone() || updated < 500) {
                String id = "d" + (updated % 3_000);
                var current = db.get(id);
                db.put(Json.parseObject("{\"_id\":\"" + id + "\",\"_rev\":\"" + current.get("_rev").asText()
                        + "\",\"v\":" + (current.get("v").asInt() + 1) + "}"));
                updated++;
            }
            rotation.get(60, TimeUnit.SECONDS);
            long total = 0;
            for (int i = 0; i < 3_000; i++) {
                total += db.get("d" + i).get("v").asInt();
            }
            assertEquals(updated, total, "no update was lost to the rewrite");
        }
        try (Storage storage = Arbor.storage(data, encrypted())) {
            assertEquals(3_000, storage.database("db").info().docCount());
        }
    }

    @Test
    void aRotationCutShortByACloseResumesWhenTheStorageNextOpens() throws Exception {
        try (Storage storage = Arbor.storage(data, encrypted())) {
            Database db = storage.createDatabase("db");
            for (int batch = 0; batch < 20; batch++) {
                List<com.fasterxml.jackson.databind.node.ObjectNode> docs = new ArrayList<>();
                for (int i = 0; i < 1_000; i++) {
                    docs.add(Json.parseObject("{\"_id\":\"d" + batch + "-" + i + "\",\"v\":\"" + MARKERS.get(0) + "\"}"));
                }
                db.bulkDocs(docs);
            }
            Arbor.rotateEncryptionKey(storage, "default");
        } // closed at once: the rotation stops between steps, the old key stays in the keyring
        try (Storage storage = Arbor.storage(data, encrypted())) {
            Keyring keyring = keyring(storage);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!keyring.retiring("default").isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertEquals(List.of(), keyring.retiring("default"), "the rotation resumed and finished");
            assertEquals(20_000, storage.database("db").info().docCount());
        }
        try (Storage storage = Arbor.storage(data, encrypted())) {
            var all = storage.database("db").allDocs(dev.arbor.api.AllDocsOptions.DEFAULT.includeDocs(true));
            assertEquals(20_000, all.rows().size(), "every document opens with the one key left");
        }
    }

    @Test
    void databasesAndCollectionsMayHaveKeysOfTheirOwn() throws IOException {
        ArborOptions options = ArborOptions.DEFAULT.encryption(EncryptionOptions.with(
                        VaultKeyStorage.keyFile(keys.resolve("master.key")))
                .databaseKey("hr", "hr-key").collectionKey("payroll", "payroll-key").defaultKey(null));
        try (Storage storage = Arbor.storage(data, options)) {
            storage.createDatabase("hr").put(Json.parseObject("{\"_id\":\"e1\",\"x\":\"" + MARKERS.get(0) + "\"}"));
            storage.database("hr").put(Json.parseObject("{\"_id\":\"payroll:1\",\"x\":\"" + MARKERS.get(1) + "\"}"));
            storage.createDatabase("public").put(Json.parseObject("{\"_id\":\"p\",\"x\":\"visible\"}"));
            EngineStorage engine = (EngineStorage) storage;
            assertEquals(Optional.of("hr-key"), engine.encryptionKeyOf("hr"));
            assertEquals(Optional.empty(), engine.encryptionKeyOf("public"), "no default key: created unencrypted");
            assertEquals(List.of("hr-key", "payroll-key"), engine.encryptionKeys());
        }
        assertEquals(List.of(), leakedMarkers(data));
        assertTrue(containsInAnyFile(data, "visible".getBytes(StandardCharsets.UTF_8)));
        try (Storage storage = Arbor.storage(data, options)) {
            int hrKey = keyNumberOf(storage, "hr-key");
            int payrollKey = keyNumberOf(storage, "payroll-key");
            storage.close();
            assertEquals(hrKey, rawKeyNumber(data, "hr", "e1"));
            assertEquals(payrollKey, rawKeyNumber(data, "hr", "payroll:1"));
        }
    }

    @Test
    void aDatabaseCreatedBeforeEncryptionStaysReadableAndNewOnesAreEncrypted() throws IOException {
        try (Storage storage = Arbor.storage(data, ArborOptions.DEFAULT)) {
            storage.createDatabase("old").put(Json.parseObject("{\"_id\":\"o\",\"x\":\"plain\"}"));
        }
        try (Storage storage = Arbor.storage(data, encrypted())) {
            assertEquals("plain", storage.database("old").get("o").get("x").asText());
            storage.createDatabase("new").put(Json.parseObject("{\"_id\":\"n\",\"x\":\"" + MARKERS.get(0) + "\"}"));
            assertEquals(Optional.empty(), ((EngineStorage) storage).encryptionKeyOf("old"));
            assertEquals(Optional.of("default"), ((EngineStorage) storage).encryptionKeyOf("new"));
        }
        assertEquals(List.of(), leakedMarkers(data));
        assertEquals("encryption_key_missing",
                assertThrows(ArborException.PreconditionFailed.class, () -> Arbor.storage(data, ArborOptions.DEFAULT))
                        .error());
    }

    private static void writeEveryKindOfValue(Database db) {
        db.put(Json.parseObject("{\"_id\":\"_design/d\",\"views\":{\"v\":{\"map\":\"function (doc) { if (doc.n === 1)"
                + " emit(doc._id, '" + MARKERS.get(3) + "'); }\"},\"r\":{\"map\":\"function (doc) { if (doc.n === 1)"
                + " emit(null, 1); }\",\"reduce\":\"function (keys, values) { return '" + MARKERS.get(4) + "'; }\"}}}"));
        db.createIndex(IndexDefinition.of("n").ddoc("p").name("n"));
        DocResult.Ok doc = db.put(Json.parseObject("{\"_id\":\"a\",\"n\":1,\"secret\":\"" + MARKERS.get(0) + "\"}"));
        db.putAttachment("a", doc.rev(), "f.txt", "text/plain",
                new ByteArrayInputStream(MARKERS.get(1).getBytes(StandardCharsets.UTF_8)));
        db.putLocal(Json.parseObject("{\"_id\":\"_local/l\",\"secret\":\"" + MARKERS.get(2) + "\"}"));
        db.keyValue().orElseThrow().set("k", MARKERS.get(5));
        // A conflicting branch: its body lives in the revisions space.
        db.bulkDocs(List.of(Json.parseObject("{\"_id\":\"c\",\"_rev\":\"1-aaaa\",\"secret\":\"" + MARKERS.get(6) + "\"}"),
                Json.parseObject("{\"_id\":\"c\",\"_rev\":\"1-bbbb\",\"other\":1}")), false);
        db.setSecurity(Json.parseObject("{\"members\":{\"names\":[\"" + MARKERS.get(7) + "\"]}}"));
        assertEquals(1, db.query("d", "v", ViewQuery.builder().build()).rows().size());
        assertEquals(1, db.query("d", "r", ViewQuery.builder().build()).rows().size());
        assertEquals(1, db.find(FindRequest.of(Json.parse("{\"n\":1}"))).docs().size());
    }

    private static void readEveryKindOfValue(Database db) throws IOException {
        assertEquals(MARKERS.get(0), db.get("a").get("secret").asText());
        try (AttachmentStream att = db.getAttachment("a", "f.txt", db.get("a").get("_rev").asText())) {
            assertArrayEquals(MARKERS.get(1).getBytes(StandardCharsets.UTF_8), att.readAllBytes());
        }
        assertEquals(MARKERS.get(2), db.getLocal("_local/l").get("secret").asText());
        assertEquals(MARKERS.get(3), db.query("d", "v", ViewQuery.builder().build()).rows().get(0).value().asText());
        assertEquals(MARKERS.get(4), db.query("d", "r", ViewQuery.builder().build()).rows().get(0).value().asText());
        assertEquals(Optional.of(MARKERS.get(5)), db.keyValue().orElseThrow().get("k", String.class));
        assertEquals(1, db.find(FindRequest.of(Json.parse("{\"n\":1}"))).docs().size());
        assertTrue(db.getSecurity().toString().contains(MARKERS.get(7)));
    }

    /** The markers found in any file under {@code dir}, in {@link #MARKERS}' order. */
    private static List<String> leakedMarkers(Path dir) throws IOException {
        List<byte[]> contents = new ArrayList<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                contents.add(Files.readAllBytes(file));
            }
        }
        return MARKERS.stream().filter(marker -> contents.stream()
                .anyMatch(content -> indexOf(content, marker.getBytes(StandardCharsets.UTF_8)) >= 0)).toList();
    }

    private static boolean containsInAnyFile(Path dir, byte[] needle) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                if (indexOf(Files.readAllBytes(file), needle) >= 0) {
                    return true;
                }
            }
        }
        return false;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** Every file's size and modification time: what "nothing changed on disk" compares. */
    private static Map<Path, String> listing(Path dir) throws IOException {
        Map<Path, String> listing = new TreeMap<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.toList()) {
                FileTime modified = Files.getLastModifiedTime(file);
                listing.put(dir.relativize(file), (Files.isDirectory(file) ? "dir " : Files.size(file) + " ") + modified);
            }
        }
        return listing;
    }

    private static int keyNumberOf(Storage storage, String name) throws IOException {
        return keyring(storage).sealing(name).number();
    }

    private static Keyring keyring(Storage storage) throws IOException {
        try {
            var field = EngineStorage.class.getDeclaredField("encryption");
            field.setAccessible(true);
            return ((StorageEncryption) field.get(storage)).keyring();
        } catch (ReflectiveOperationException e) {
            throw new IOException(e);
        }
    }

    /** The tag of the sealed stored record of document {@code id}, read from RocksDB under the storage. */
    private static byte[] sealedTagOf(Path data, String database, String id) {
        byte[] sealed = rawDocRecord(data, database, id);
        return Arrays.copyOfRange(sealed, sealed.length - ValueSealer.TAG_BYTES, sealed.length);
    }

    private static int rawKeyNumber(Path data, String database, String id) {
        return ValueSealer.keyNumber(rawDocRecord(data, database, id));
    }

    private static byte[] rawDocRecord(Path data, String database, String id) {
        Path dir = data.resolve("dbs").resolve(database);
        try (LRUCache cache = new LRUCache(8 << 20); RocksKvStore raw = new RocksKvStore(dir, cache, EngineSpaces.ALL)) {
            return raw.get(DocSpaces.DOCS, DatabaseKeys.docId(id));
        }
    }
}
