package dev.arbor.engine.doc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.api.AllDocsOptions;
import dev.arbor.api.AllDocsSink;
import dev.arbor.api.AtomicWrite;
import dev.arbor.api.AtomicWrites;
import dev.arbor.api.BulkGetRequest;
import dev.arbor.api.BulkGetResult;
import dev.arbor.api.DocResult;
import dev.arbor.api.DocumentJson;
import dev.arbor.api.Documents;
import dev.arbor.api.GetOptions;
import dev.arbor.api.OpenRev;
import dev.arbor.api.RevsDiff;
import dev.arbor.api.hook.DatabaseHook;
import dev.arbor.core.doc.DocumentParser;
import dev.arbor.core.doc.ParsedDoc;
import dev.arbor.core.error.ArborException;
import dev.arbor.core.json.Json;
import dev.arbor.core.rev.Rev;
import dev.arbor.engine.kv.KvStore;
import dev.arbor.engine.local.LocalDocs;
import dev.arbor.engine.local.EngineLocalDocuments;
import dev.arbor.engine.store.AttachmentStore;
import dev.arbor.engine.store.CouchDbGzipDigest;
import dev.arbor.engine.validate.DocValidation;
import dev.arbor.engine.write.DatabaseWriter;
import dev.arbor.engine.write.WriteHooks;
import dev.arbor.engine.write.WriteLimitCheck;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The {@link Documents} of an engine database, and its {@link AtomicWrites}: reads are {@link DocumentReads}';
 * writes run the database's hooks ({@link WriteHooks}), limits and {@code validate_doc_update} on the caller's
 * thread, then hand the edit to the {@link DatabaseWriter}, whose committing thread applies it ({@link DocWrites}).
 *
 * <p>Threads: every method may be called from any thread. Hooks, limits and validation run on the calling thread,
 * never inside the writer, so a slow hook or validator delays only its own write; the edits themselves run on
 * whichever thread holds the writer's commit lock.
 */
public final class EngineDocuments implements Documents, AtomicWrites {
    private final String name;
    private final KvStore store;
    private final DatabaseWriter writer;
    private final DocumentReads reads;
    private final DocWrites writes;
    private final AttachmentStore attachments;
    private final EngineLocalDocuments local;
    private final DocValidation validation;
    private final WriteLimitCheck limits;
    /** Set once by the storage right after construction, before the database is handed out. */
    private volatile WriteHooks hooks;

    public EngineDocuments(String name, KvStore store, DatabaseWriter writer, DocumentReads reads, DocWrites writes,
                           AttachmentStore attachments, EngineLocalDocuments local, DocValidation validation,
                           WriteLimitCheck limits) {
        this.name = name;
        this.store = store;
        this.writer = writer;
        this.reads = reads;
        this.writes = writes;
        this.attachments = attachments;
        this.local = local;
        this.validation = validation;
        this.limits = limits;
        this.hooks = new WriteHooks(name, List.of());
    }

    /** Registers the hooks every document write of this database runs (see {@link DatabaseHook}); called at open. */
    public void useHooks(List<DatabaseHook> databaseHooks) {
        this.hooks = new WriteHooks(name, databaseHooks);
    }

    /** The hooks in use, for the other writers of documents (attachment edits). */
    public WriteHooks hooks() {
        return hooks;
    }

    // ---- reads ---------------------------------------------------------------------------------

    @Override
    public ObjectNode get(String id, GetOptions options) {
        return reads.get(id, options);
    }

    @Override
    public DocumentJson getJson(String id, GetOptions options) {
        return reads.getJson(id, options);
    }

    @Override
    public List<OpenRev> getOpenRevs(String id, List<String> revs, GetOptions options) {
        return reads.getOpenRevs(id, revs, options);
    }

    @Override
    public void allDocs(AllDocsOptions options, AllDocsSink sink) {
        reads.allDocs(options, sink, null);
    }

    @Override
    public Map<String, RevsDiff> revsDiff(Map<String, List<String>> revs) {
        return reads.revsDiff(revs);
    }

    @Override
    public List<BulkGetResult> bulkGet(List<BulkGetRequest> requests, GetOptions options) {
        return reads.bulkGet(requests, options);
    }

    // ---- writes --------------------------------------------------------------------------------

    @Override
    public DocResult.Ok put(ObjectNode submitted) {
        ObjectNode doc = hooks.beforeWrite(submitted);
        if (!doc.has("_id")) {
            throw new ArborException.PreconditionFailed("missing_id", "_id is required for puts");
        }
        if (isLocal(doc)) {
            return local.putLocal(doc);
        }
        ParsedDoc parsed = DocumentParser.parse(doc);
        limits.check(parsed);
        return write(parsed, doc);
    }

    @Override
    public DocResult.Ok post(ObjectNode submitted) {
        ObjectNode doc = hooks.beforeWrite(submitted);
        if (isLocal(doc)) {
            return local.putLocal(doc);
        }
        ParsedDoc parsed = DocumentParser.parse(doc);
        // Checked before the id is made up: CouchDB's document_too_large then has an empty reason.
        limits.check(parsed);
        if (parsed.id() == null) {
            parsed = parsed.withId(newId());
        }
        return write(parsed, doc);
    }

    private DocResult.Ok write(ParsedDoc parsed, ObjectNode json) {
        reads.checkId(parsed.id());
        if (parsed.isLocal()) {
            return local.putLocal(json);
        }
        validate(validation.current(), parsed, json, true);
        DocResult.Ok result = writer.submit(ctx -> writes.edit(ctx, parsed, Map.of()));
        hooks.afterWrite(result, parsed.deleted());
        return result;
    }

    /**
     * Runs the design documents' {@code validate_doc_update} on a write (and checks that an interactively written
     * design document compiles). {@code json} is the document as submitted.
     */
    private void validate(DocValidation.Validators validators, ParsedDoc doc, ObjectNode json, boolean newEdits) {
        if (doc.isDesign()) {
            if (newEdits && !doc.deleted()) {
                DocValidation.checkDesignDoc(json);
            }
            return;
        }
        if (validators.isEmpty()) {
            return;
        }
        ObjectNode newDoc = json.deepCopy();
        newDoc.put("_id", doc.id());
        validators.validate(newDoc, reads.revision(doc.id(), newEdits ? doc.rev() : parentOfReplicated(doc)));
    }

    /** The parent of a replicated revision, from its {@code _revisions}; null when it has none. */
    private static Rev parentOfReplicated(ParsedDoc doc) {
        if (doc.revisions() == null || doc.revisions().ids().size() < 2) {
            return null;
        }
        return Rev.parse((doc.revisions().start() - 1) + "-" + doc.revisions().ids().get(1));
    }

    @Override
    public DocResult.Ok putWithAttachments(ObjectNode submitted, boolean newEdits, Map<String, InputStream> following) {
        ObjectNode doc = newEdits ? hooks.beforeWrite(submitted) : submitted;
        if (isLocal(doc)) {
            if (!following.isEmpty()) {
                throw localAttachments();
            }
            return local.putLocal(doc);
        }
        ParsedDoc parsed = DocumentParser.parse(doc);
        if (parsed.id() == null) {
            throw new ArborException.PreconditionFailed("missing_id", "_id is required for puts");
        }
        reads.checkId(parsed.id());
        limits.check(parsed);
        if (parsed.isLocal()) {
            return local.putLocal(doc);
        }
        validate(validation.current(), parsed, doc, newEdits);
        // Stream every attachment into chunks first, outside the writer: the commit then only references them.
        Map<String, AttachmentStore.Written> streamed = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, InputStream> part : following.entrySet()) {
                streamed.put(part.getKey(), attachments.writeStream(limits.limit(part.getKey(), part.getValue()),
                        digestsAsCouchDb(parsed, part.getKey(), newEdits)));
            }
            DocResult.Ok result = writer.submit(ctx -> newEdits ? writes.edit(ctx, parsed, streamed)
                    : writes.replicate(ctx, parsed, streamed));
            // Parts the document did not name were never referenced.
            streamed.forEach((name, data) -> {
                if (parsed.attachments() == null || !parsed.attachments().has(name)) {
                    attachments.discard(data);
                }
            });
            hooks.afterWrite(result, parsed.deleted());
            return result;
        } catch (RuntimeException e) {
            streamed.values().forEach(attachments::discard);
            throw e;
        }
    }

    @Override
    public DocResult.Ok remove(String id, String rev) {
        DocumentParser.validateId(id);
        reads.checkId(id);
        if (id.startsWith(DocumentParser.LOCAL_PREFIX)) {
            local.removeLocal(id, rev);
            return new DocResult.Ok(id, "0-0");
        }
        Rev parent;
        try {
            parent = rev == null ? null : Rev.parse(rev);
        } catch (ArborException.BadRequest malformed) {
            // CouchDB's DELETE opens the document first: a missing one is 404 whatever rev is named.
            if (DocumentReads.docRecord(store, id) == null) {
                throw new ArborException.NotFound("missing");
            }
            throw malformed;
        }
        if (parent == null) {
            throw new ArborException.Conflict();
        }
        ObjectNode tombstoneJson = Json.object().put("_id", id).put("_rev", rev).put("_deleted", true);
        ParsedDoc tombstone = new ParsedDoc(id, parent, true, null, null, Json.object());
        if (!hooks.isEmpty()) {
            tombstoneJson = hooks.beforeWrite(tombstoneJson);
            tombstone = DocumentParser.parse(tombstoneJson);
            if (!id.equals(tombstone.id())) {
                throw new ArborException.BadRequest("bad_request", "a before-write hook may not change a document's id");
            }
        }
        ParsedDoc edit = tombstone;
        validate(validation.current(), edit, tombstoneJson, true);
        DocResult.Ok result = writer.submit(ctx -> writes.edit(ctx, edit, Map.of()));
        hooks.afterWrite(result, edit.deleted());
        return result;
    }

    /**
     * A local doc ({@code _local/...}) is written apart, before the parser sees it: its {@code 0-N} revisions
     * are no revisions of a tree.
     */
    private static boolean isLocal(ObjectNode doc) {
        return doc.path("_id").asText("").startsWith(DocumentParser.LOCAL_PREFIX);
    }

    private static ArborException localAttachments() {
        return new ArborException.BadRequest("bad_request", "_local documents do not accept attachments.");
    }
    private static String newId() {
        UUID uuid = UUID.randomUUID();
        return String.format("%016x%016x", uuid.getMostSignificantBits(), uuid.getLeastSignificantBits());
    }

    @Override
    public List<DocResult> bulkDocs(List<ObjectNode> submitted, boolean newEdits) {
        Map<Integer, DocResult.Error> refused = new HashMap<>();
        List<ObjectNode> docs = newEdits ? beforeWriteEach(submitted, refused) : submitted;
        // Parse everything first: a malformed doc fails the whole request, as CouchDB's _bulk_docs does.
        List<ParsedDoc> parsed = new ArrayList<>(docs.size());
        for (int i = 0; i < docs.size(); i++) {
            ObjectNode json = docs.get(i);
            if (refused.containsKey(i) || isLocal(json)) {
                parsed.add(null);
                continue;
            }
            ParsedDoc doc = DocumentParser.parse(json);
            limits.check(doc);
            if (!newEdits && doc.rev() == null) {
                throw new ArborException.BadRequest("bad_request",
                        "When `new_edits: false`, the document needs `_rev` or `_revisions` specified");
            }
            if (doc.id() == null) {
                if (!newEdits) {
                    throw new ArborException.BadRequest("bad_request", "Document id must be a string when new_edits is false");
                }
                doc = doc.withId(newId());
            }
            reads.checkId(doc.id());
            parsed.add(doc);
        }
        DocValidation.Validators validators = validation.current();
        for (int i = 0; i < parsed.size(); i++) {
            ParsedDoc doc = parsed.get(i);
            if (doc == null) {
                continue;
            }
            try {
                validate(validators, doc, docs.get(i), newEdits);
            } catch (ArborException.Forbidden | ArborException.Unauthorized | ArborException.BadRequest e) {
                refused.put(i, new DocResult.Error(doc.id(), errorRev(doc, newEdits), e.error(), e.reason()));
            }
        }
        // Filled by the writer, read after submit returns (the commit's completion orders the two).
        List<ParsedDoc> written = new ArrayList<>();
        List<String> editedIds = new ArrayList<>(parsed.size());
        for (int i = 0; i < parsed.size(); i++) {
            if (parsed.get(i) != null && !refused.containsKey(i)) {
                editedIds.add(parsed.get(i).id());
            }
        }
        List<DocResult> outcome = writer.submit(ctx -> {
            DocWrites.prefetch(ctx, editedIds);
            List<DocResult> results = new ArrayList<>(docs.size());
            for (int i = 0; i < docs.size(); i++) {
                ParsedDoc doc = parsed.get(i);
                if (refused.containsKey(i)) {
                    results.add(refused.get(i));
                    continue;
                }
                String id = doc == null ? docs.get(i).path("_id").asText() : doc.id();
                ctx.mark();
                try {
                    if (doc == null) {
                        DocResult.Ok ok = LocalDocs.put(ctx, docs.get(i));
                        if (newEdits) {
                            // a replicated (new_edits=false) write answers only its failures, local or not
                            results.add(ok);
                        }
                    } else if (newEdits) {
                        DocResult.Ok ok = writes.edit(ctx, doc, Map.of());
                        results.add(ok);
                        written.add(new ParsedDoc(ok.id(), Rev.parse(ok.rev()), doc.deleted(), null, null, null));
                    } else {
                        writes.replicate(ctx, doc, Map.of());
                        written.add(doc);
                    }
                    ctx.keep();
                } catch (ArborException e) {
                    ctx.rollback();
                    results.add(new DocResult.Error(id, errorRev(doc, newEdits), e.error(), e.reason()));
                }
            }
            return results;
        });
        for (ParsedDoc doc : written) {
            hooks.afterWrite(doc.id(), doc.rev().toString(), doc.deleted());
        }
        return outcome;
    }

    /**
     * The rev a failed {@code _bulk_docs} entry names, as CouchDB's chttpd_db answers: a replicated
     * ({@code new_edits=false}) revision's failure names it, an interactive edit's does not.
     */
    private static String errorRev(ParsedDoc doc, boolean newEdits) {
        return newEdits || doc == null || doc.rev() == null ? null : doc.rev().toString();
    }

    /** The before-write hooks over each doc of a {@code _bulk_docs}; a rejection becomes that doc's error result. */
    private List<ObjectNode> beforeWriteEach(List<ObjectNode> docs, Map<Integer, DocResult.Error> refused) {
        if (hooks.isEmpty()) {
            return docs;
        }
        List<ObjectNode> out = new ArrayList<>(docs.size());
        for (int i = 0; i < docs.size(); i++) {
            ObjectNode doc = docs.get(i);
            try {
                out.add(hooks.beforeWrite(doc));
            } catch (ArborException.Forbidden | ArborException.Unauthorized | ArborException.BadRequest
                     | ArborException.Conflict e) {
                // Only interactive edits go through the hooks: their errors name no rev (see errorRev).
                refused.put(i, new DocResult.Error(doc.path("_id").asText(null), null, e.error(), e.reason()));
                out.add(doc);
            }
        }
        return out;
    }

    @Override
    public List<DocResult.Ok> bulkDocsAllOrNothing(List<AtomicWrite> atomicWrites) {
        List<ParsedDoc> parsed = new ArrayList<>(atomicWrites.size());
        List<Boolean> overwrite = new ArrayList<>(atomicWrites.size());
        List<ObjectNode> docs = new ArrayList<>(atomicWrites.size());
        for (AtomicWrite write : atomicWrites) {
            ObjectNode doc = hooks.beforeWrite(write.doc());
            ParsedDoc edit = DocumentParser.parse(doc);
            if (edit.id() == null) {
                throw new ArborException.PreconditionFailed("missing_id", "_id is required in an atomic write");
            }
            reads.checkId(edit.id());
            if (edit.isLocal()) {
                throw new ArborException.BadRequest("bad_request", "local documents cannot be part of an atomic write");
            }
            parsed.add(edit);
            docs.add(doc);
            overwrite.add(write instanceof AtomicWrite.Overwrite);
        }
        DocValidation.Validators validators = validation.current();
        for (int i = 0; i < parsed.size(); i++) {
            // An overwrite's parent is only known in the writer; the validator sees the edit's own _rev (if any).
            validate(validators, parsed.get(i), docs.get(i), true);
        }
        List<DocResult.Ok> results = writer.submit(ctx -> writes.editAll(ctx, parsed, overwrite));
        for (int i = 0; i < results.size(); i++) {
            hooks.afterWrite(results.get(i), parsed.get(i).deleted());
        }
        return results;
    }

    /**
     * Whether a part that follows the document needs CouchDB's gzip-stream digest computed: it is of a compressible
     * type and the revision is a new edit, or a replicated one that declares no digest (CouchDB then digests what it
     * stores, as a peer that left the digest out expects).
     */
    private static boolean digestsAsCouchDb(ParsedDoc parsed, String name, boolean newEdits) {
        JsonNode att = parsed.attachments() == null ? null : parsed.attachments().get(name);
        return att != null && CouchDbGzipDigest.compressible(att.path("content_type").asText(null))
                && (newEdits || !att.path("digest").asText("").startsWith("md5-"));
    }
}
