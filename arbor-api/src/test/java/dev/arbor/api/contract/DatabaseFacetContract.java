package dev.arbor.api.contract;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.api.AllDocsOptions;
import dev.arbor.api.AllDocsRow;
import dev.arbor.api.ChangeRow;
import dev.arbor.api.ChangesOptions;
import dev.arbor.api.Database;
import dev.arbor.api.DocResult;
import dev.arbor.api.GetOptions;
import dev.arbor.api.OpenRev;
import dev.arbor.api.Storage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static dev.arbor.api.contract.Fixtures.doc;
import static dev.arbor.api.contract.Fixtures.hash;
import static dev.arbor.api.contract.Fixtures.replicated;
import static dev.arbor.api.contract.Fixtures.rev;
import static dev.arbor.api.contract.Fixtures.strings;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * What the facet contracts share: a fresh, empty storage per test (which a backend's test supplies) with an
 * empty database {@code db} in it, and helpers. Each facet of {@link Database} has a contract of its own
 * ({@link DocumentsContract}, {@link ChangesContract}, {@link LocalDocumentsContract}, {@link AttachmentsContract},
 * {@link MaintenanceContract}, {@link StorageContract}; Mango, views and partitions in {@link FindContract},
 * {@link ViewContract} and {@link PartitionContract}), one nested class per area, with CouchDB 3.x semantics;
 * every backend runs every one.
 *
 * <p>Where a test pins a detail of CouchDB's behaviour that is easy to get wrong, a comment says what
 * CouchDB does. Local documents are named by their full id ({@code _local/x}), as CouchDB's
 * {@code _id} of a local document is.
 */
public abstract class DatabaseFacetContract {

    /** A fresh storage with no databases in it; the contract closes it after the test. */
    protected abstract Storage newStorage();

    /** What {@link Database#name()} says for database {@code dbName}: the name itself, or a remote one's URL. */
    protected String expectedName(String dbName) {
        return dbName;
    }

    protected Storage storage;
    protected Database db;

    @BeforeEach
    void openFreshDatabase() {
        storage = newStorage();
        db = storage.createDatabase("db");
    }

    @AfterEach
    void closeStorage() {
        if (storage != null) storage.close();
    }

    // ---- helpers ------------------------------------------------------------------------------

    /** Creates {@code id} with the given body and returns its first revision. */
    protected String create(String id, String bodyJson) {
        ObjectNode doc = doc(bodyJson);
        doc.put("_id", id);
        return db.put(doc).rev();
    }

    protected String update(String id, String rev, String bodyJson) {
        ObjectNode doc = doc(bodyJson);
        doc.put("_id", id);
        doc.put("_rev", rev);
        return db.put(doc).rev();
    }

    /** Writes replicated revisions with {@code new_edits=false}, which must all be accepted. */
    protected void replicate(ObjectNode... docs) {
        List<DocResult> failures = db.bulkDocs(List.of(docs), false);
        assertEquals(List.of(), failures, "new_edits=false reports only failures, and there must be none");
    }

    /** The leaf revisions of {@code id}, from {@code open_revs=all}. */
    protected Set<String> leaves(String id) {
        return db.getOpenRevs(id, null, GetOptions.DEFAULT).stream()
                .map(r -> ((OpenRev.Found) r).doc().get("_rev").asText())
                .collect(Collectors.toSet());
    }

    protected List<String> allDocIds(AllDocsOptions options) {
        return db.allDocs(options).rows().stream().map(AllDocsRow::id).toList();
    }

    protected List<String> changedIds(ChangesOptions options) {
        return db.changes(options).results().stream().map(ChangeRow::id).toList();
    }

    protected static List<String> revisionIds(ObjectNode doc) {
        return strings(doc.get("_revisions").get("ids"));
    }

    protected static String hashOf(String rev) {
        return rev.substring(rev.indexOf('-') + 1);
    }

    /** A doc with two live conflicting leaves, 2-b and 2-c on 1-a: 2-c wins on the higher hash. */
    protected void conflictedDoc(String id) {
        replicate(replicated(id, 2, "ba", false, "{'branch':'b'}"), replicated(id, 2, "ca", false, "{'branch':'c'}"));
    }
}
