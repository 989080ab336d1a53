package dev.arbor.engine.validate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.api.UserContext;
import dev.arbor.core.error.ArborException;
import dev.arbor.engine.store.StoredDocs;
import dev.arbor.engine.kv.KvSnapshot;
import dev.arbor.engine.kv.KvStore;
import dev.arbor.js.DesignDocFunctions;
import dev.arbor.js.JsOptions;
import dev.arbor.js.ValidateFunction;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * CouchDB's write validation for one database: every design document's {@code validate_doc_update} judges each
 * write of a normal document, interactive or replicated; the first to throw {@code {forbidden: ...}} or
 * {@code {unauthorized: ...}} refuses it (403 / 401). Design documents are not passed to validation functions, as
 * in CouchDB (it only checks that a design document compiles); local documents are never validated.
 *
 * <p>Validation runs before the write reaches the database's writer, as CouchDB validates before its updater: the
 * JavaScript never holds up the group commit.
 */
public final class DocValidation {
    private static final System.Logger LOG = System.getLogger(DocValidation.class.getName());
    private static final String DESIGN_PREFIX = "_design/";

    private final String dbName;
    private final KvStore store;
    private final JsOptions options;
    private final Supplier<ObjectNode> security;
    /** Compiled validation functions by design doc id, with the revision they were compiled from. */
    private final ConcurrentHashMap<String, Compiled> compiled = new ConcurrentHashMap<>();

    private record Compiled(String rev, Optional<ValidateFunction> function) {}

    /** The validators of one state of the design documents, and which {@link #designVersion} they were read at. */
    private record Snapshot(long version, Validators validators) {}

    /**
     * Bumped after every commit that touched a design document ({@link #designDocumentsChanged}). Validators read
     * at version v stay in use while the version is v: a write does not rescan and reparse every design
     * document. A scan racing a design-doc commit may read the new documents under the old version; the
     * bump that follows the commit then makes the next write read them again, never keep a stale list.
     */
    private final java.util.concurrent.atomic.AtomicLong designVersion = new java.util.concurrent.atomic.AtomicLong();
    private volatile Snapshot cached;

    /** @param security the database's security object, passed to validation functions as {@code secObj} */
    public DocValidation(String dbName, KvStore store, Supplier<ObjectNode> security, JsOptions options) {
        this.dbName = dbName;
        this.store = store;
        this.security = security;
        this.options = options;
    }

    /** Called after a commit that wrote or purged a {@code _design/} document (from any write path). */
    public void designDocumentsChanged() {
        designVersion.incrementAndGet();
    }

    /** The validation functions in force now, in design document id order; empty when there are none. */
    public Validators current() {
        long version = designVersion.get();
        Snapshot snapshot = cached;
        if (snapshot != null && snapshot.version() == version) {
            return snapshot.validators();
        }
        Validators validators = read();
        cached = new Snapshot(version, validators);
        return validators;
    }

    private Validators read() {
        List<ValidateFunction> functions = new ArrayList<>();
        try (KvSnapshot snapshot = store.snapshot()) {
            // '0' follows '/': every "_design/..." id sorts below "_design0".
            StoredDocs.scanById(snapshot, DESIGN_PREFIX, "_design0", false, false, (id, doc) -> {
                if (doc.hasNonNull("validate_doc_update")) {
                    function(id, doc).ifPresent(functions::add);
                }
                return true;
            });
        }
        return new Validators(List.copyOf(functions));
    }

    private Optional<ValidateFunction> function(String id, ObjectNode doc) {
        String rev = doc.path("_rev").asText();
        Compiled cached = compiled.get(id);
        if (cached != null && cached.rev().equals(rev)) {
            return cached.function();
        }
        Optional<ValidateFunction> function;
        try {
            function = DesignDocFunctions.compile(doc, options).validateDocUpdate();
        } catch (ArborException e) {
            // A design document replicated in with code that does not compile cannot judge anything; CouchDB
            // would fail every write instead, which would make the database unwritable.
            LOG.log(System.Logger.Level.WARNING, "validate_doc_update of " + id + " in " + dbName + " does not compile: "
                    + e.reason());
            function = Optional.empty();
        }
        compiled.put(id, new Compiled(rev, function));
        return function;
    }

    /** Checks that a design document written interactively compiles, as CouchDB does (400 otherwise). */
    public static void checkDesignDoc(ObjectNode designDoc) {
        JsonNode language = designDoc.get("language");
        if (language == null || language.isNull() || "javascript".equals(language.asText())) {
            DesignDocFunctions.compile(designDoc);
        }
    }

    /** The validation functions of one moment, applied to the documents of one request. */
    public final class Validators {
        private final List<ValidateFunction> functions;

        private Validators(List<ValidateFunction> functions) {
            this.functions = functions;
        }

        public boolean isEmpty() {
            return functions.isEmpty();
        }

        /**
         * Throws {@link ArborException.Forbidden} or {@link ArborException.Unauthorized} when a function refuses
         * the write.
         *
         * @param oldDoc the revision the write replaces, or null for a new document
         */
        public void validate(ObjectNode newDoc, ObjectNode oldDoc) {
            if (functions.isEmpty() || newDoc.path("_id").asText().startsWith(DESIGN_PREFIX)) {
                return;
            }
            ObjectNode userCtx = UserContext.current().toJson(dbName);
            ObjectNode security = DocValidation.this.security.get();
            for (ValidateFunction function : functions) {
                function.validate(newDoc, oldDoc, userCtx, security);
            }
        }
    }

}
