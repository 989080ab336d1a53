package dev.arbor.engine.attachment;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.api.AttachmentStream;
import dev.arbor.api.Attachments;
import dev.arbor.api.DocResult;
import dev.arbor.core.doc.DocumentParser;
import dev.arbor.core.error.ArborException;
import dev.arbor.core.json.Json;
import dev.arbor.core.rev.Rev;
import dev.arbor.engine.doc.DocWrites;
import dev.arbor.engine.doc.DocumentReads;
import dev.arbor.engine.doc.EngineDocuments;
import dev.arbor.engine.kv.KvSnapshot;
import dev.arbor.engine.kv.KvStore;
import dev.arbor.engine.store.AttachmentRef;
import dev.arbor.engine.store.AttachmentStore;
import dev.arbor.engine.store.CouchDbGzipDigest;
import dev.arbor.engine.store.DocRecord;
import dev.arbor.engine.store.RevRecord;
import dev.arbor.engine.validate.DocValidation;
import dev.arbor.engine.write.DatabaseWriter;
import dev.arbor.engine.write.WriteLimitCheck;

import java.io.InputStream;

/**
 * The {@link Attachments} of an engine database: reads stream an attachment's chunks out of a store snapshot the
 * returned stream owns; writes stream the data into chunks ({@link AttachmentStore}) on the caller's thread, outside
 * the writer, then commit the new revision that references them through the {@link DatabaseWriter}.
 *
 * <p>Threads: every method may be called from any thread. Streaming, validation and the document hooks run on the
 * calling thread; the revision edit ({@link DocWrites}) runs on whichever thread holds the writer's commit lock.
 */
public final class EngineAttachments implements Attachments {
    private final KvStore store;
    private final DatabaseWriter writer;
    private final DocumentReads reads;
    private final DocWrites writes;
    private final AttachmentStore attachments;
    private final EngineDocuments documents;
    private final DocValidation validation;
    private final WriteLimitCheck limits;

    public EngineAttachments(KvStore store, DatabaseWriter writer, DocumentReads reads, DocWrites writes,
                             AttachmentStore attachments, EngineDocuments documents, DocValidation validation,
                             WriteLimitCheck limits) {
        this.store = store;
        this.writer = writer;
        this.reads = reads;
        this.writes = writes;
        this.attachments = attachments;
        this.documents = documents;
        this.validation = validation;
        this.limits = limits;
    }

    @Override
    public AttachmentStream getAttachment(String docId, String name, String rev) {
        refuseLocal(docId);
        reads.checkId(docId);
        Rev asked = rev == null ? null : Rev.parse(rev);
        KvSnapshot snapshot = store.snapshot();
        try {
            DocRecord doc = DocumentReads.docRecord(snapshot, docId);
            if (doc == null) {
                throw new ArborException.NotFound("missing");
            }
            RevRecord record;
            Rev at;
            if (rev == null) {
                if (doc.deleted()) {
                    throw new ArborException.NotFound("deleted");
                }
                at = doc.winner().rev();
                record = doc.winnerRecord();
            } else {
                at = asked;
                record = doc.tree().contains(at) ? DocumentReads.revRecord(snapshot, docId, doc, at) : null;
                if (record == null) {
                    throw new ArborException.NotFound("missing");
                }
            }
            AttachmentRef ref = record.attachment(name);
            if (ref == null) {
                throw new ArborException.NotFound("Document is missing attachment");
            }
            InputStream data = AttachmentStore.open(snapshot, ref.dataKey(), snapshot);
            return new AttachmentStream(ref.name(), ref.contentType(), ref.length(), ref.digest(), ref.revpos(), data,
                    ref.digestIsDataKey());
        } catch (RuntimeException e) {
            snapshot.close();
            throw e;
        }
    }

    @Override
    public DocResult.Ok putAttachment(String docId, String rev, String name, String contentType, InputStream data) {
        refuseLocal(docId);
        DocumentParser.validateId(docId);
        reads.checkId(docId);
        if (name == null || name.isEmpty()) {
            throw new ArborException.BadRequest("bad_request", "Attachment name must not be empty");
        }
        DocumentParser.validateAttachmentName(name);
        Rev parent = rev == null ? null : Rev.parse(rev);
        String type = contentType == null ? "application/octet-stream" : contentType;
        validateAttachmentEdit(docId, parent, name, type);
        AttachmentStore.Written written = attachments.writeStream(limits.limit(name, data), CouchDbGzipDigest.compressible(type));
        try {
            DocResult.Ok result = writer.submit(ctx -> writes.putAttachment(ctx, docId, parent, name, type, written));
            documents.hooks().afterWrite(result, false);
            return result;
        } catch (RuntimeException e) {
            attachments.discard(written);
            throw e;
        }
    }

    @Override
    public DocResult.Ok removeAttachment(String docId, String rev, String name) {
        refuseLocal(docId);
        reads.checkId(docId);
        DocumentParser.validateAttachmentName(name);
        Rev parent = rev == null ? null : Rev.parse(rev);
        validateAttachmentEdit(docId, parent, name, null);
        DocResult.Ok result = writer.submit(ctx -> writes.removeAttachment(ctx, docId, parent, name));
        documents.hooks().afterWrite(result, false);
        return result;
    }

    /**
     * Validates an attachment edit as the document it makes: the parent revision with the attachment added (as a
     * stub of {@code contentType}) or, when {@code contentType} is null, removed.
     */
    private void validateAttachmentEdit(String docId, Rev parent, String name, String contentType) {
        DocValidation.Validators validators = validation.current();
        if (validators.isEmpty() || docId.startsWith("_design/")) {
            return;
        }
        ObjectNode oldDoc = reads.revision(docId, parent);
        ObjectNode newDoc = oldDoc == null || oldDoc.path("_deleted").asBoolean() ? Json.object() : oldDoc.deepCopy();
        newDoc.put("_id", docId);
        ObjectNode atts = newDoc.has("_attachments") ? (ObjectNode) newDoc.get("_attachments") : newDoc.putObject("_attachments");
        if (contentType == null) {
            atts.remove(name);
        } else {
            atts.putObject(name).put("content_type", contentType).put("stub", true);
        }
        validators.validate(newDoc, oldDoc);
    }

    /** Attachments belong to documents with revision trees; CouchDB refuses any attachment request on a local doc. */
    private static void refuseLocal(String docId) {
        if (docId.startsWith(DocumentParser.LOCAL_PREFIX)) {
            throw new ArborException.BadRequest("bad_request", "_local documents do not accept attachments.");
        }
    }
}
