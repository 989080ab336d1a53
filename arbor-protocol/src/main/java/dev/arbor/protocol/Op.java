package dev.arbor.protocol;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Every operation a request may name, by facet. The wire name is what travels; the enum is what both ends switch
 * on, so an operation added here is one the server's dispatch table must handle (its test checks that none is missing).
 */
public enum Op {
    STORAGE_LIST("storage.list"),
    STORAGE_CREATE("storage.create"),
    STORAGE_DELETE("storage.delete"),
    STORAGE_EXISTS("storage.exists"),
    DB_INFO("db.info"),
    DB_REVS_LIMIT("db.revsLimit"),
    DB_SET_REVS_LIMIT("db.setRevsLimit"),

    DOC_GET("doc.get"),
    DOC_OPEN_REVS("doc.openRevs"),
    DOC_PUT("doc.put"),
    DOC_POST("doc.post"),
    DOC_REMOVE("doc.remove"),
    DOC_BULK_DOCS("doc.bulkDocs"),
    DOC_ALL_DOCS("doc.allDocs"),
    DOC_REVS_DIFF("doc.revsDiff"),
    DOC_BULK_GET("doc.bulkGet"),

    KV_GET("kv.get"),
    KV_SET("kv.set"),
    KV_TAKE("kv.take"),
    KV_DELETE("kv.delete"),
    KV_INCREMENT("kv.increment"),
    KV_INCREMENT_FLOAT("kv.incrementFloat"),
    KV_DECREMENT("kv.decrement"),
    KV_DECREMENT_FLOAT("kv.decrementFloat"),
    KV_COMPARE_AND_SWAP("kv.compareAndSwap"),

    PUBSUB_PUBLISH("pubsub.publish"),
    PUBSUB_PUBLISH_TO_ALL("pubsub.publishToAll"),
    PUBSUB_SUBSCRIBER_CREATE("pubsub.subscriber.create"),
    PUBSUB_SUBSCRIBE("pubsub.subscribe"),
    PUBSUB_UNSUBSCRIBE("pubsub.unsubscribe"),
    PUBSUB_SUBSCRIBER_CLOSE("pubsub.subscriber.close"),

    // ---- the facets whose answers may be long: the ops marked "streamed" answer with rows chunks, then a response

    /** Streamed: {@code _all_docs} rows (and a partition's, with {@code partition}). */
    DOC_ALL_DOCS_ROWS("doc.allDocs.rows"),
    /** Uploads each following attachment's bytes, one after another, in the order the request names them. */
    DOC_PUT_WITH_ATTACHMENTS("doc.putWithAttachments"),

    LOCAL_GET("local.get"),
    LOCAL_PUT("local.put"),
    LOCAL_REMOVE("local.remove"),
    /** Streamed. */
    LOCAL_DOCS("local.docs"),

    DB_COMPACT("db.compact"),
    DB_PURGE("db.purge"),
    DB_SECURITY("db.security"),
    DB_SET_SECURITY("db.setSecurity"),
    DB_ENCRYPTION_KEY("db.encryptionKey"),

    PARTITION_INFO("partition.info"),

    /** Streamed: the documents' JSON bytes as rows; a partition's with {@code partition}. */
    MANGO_FIND("mango.find"),
    MANGO_EXPLAIN("mango.explain"),
    MANGO_CREATE_INDEX("mango.createIndex"),
    MANGO_INDEXES("mango.indexes"),
    MANGO_DELETE_INDEX("mango.deleteIndex"),
    MANGO_BULK_DELETE_INDEXES("mango.bulkDeleteIndexes"),

    /** Streamed; a partition's rows with {@code partition}. */
    VIEW_QUERY("view.query"),
    VIEW_INFO("view.info"),
    VIEW_CLEANUP("view.cleanup"),

    /** Streamed: a one-shot {@code _changes} read. */
    CHANGES_READ("changes.read"),
    /** Open-ended: a chunk per commit (its update seq, and with {@code rows} the changes since the last), until cancelled. */
    CHANGES_SUBSCRIBE("changes.subscribe"),

    /** Streamed: the attachment's metadata, then its bytes. */
    ATTACHMENT_GET("attachment.get"),
    /** An upload: the attachment's bytes follow as the client's chunks. */
    ATTACHMENT_PUT("attachment.put"),
    ATTACHMENT_REMOVE("attachment.remove"),

    LIVE_SUBSCRIBE("live.subscribe"),
    LIVE_RESUME("live.resume"),
    LIVE_CLOSE("live.close"),

    /** Several documents in one batch, all or none ({@code AtomicWrites}): collections' transactions. */
    DOC_BULK_ALL_OR_NOTHING("doc.bulkDocsAllOrNothing"),

    /**
     * Typed views by name ({@code TypedViews}): the view's Java code runs on the server, registered by the schema its
     * storage was opened with; the client sends and reads keys in the view's key type's JSON form ({@link TypedViewValues}).
     */
    TYPED_VIEW_OPEN("typedView.open"),
    TYPED_VIEW_QUERY("typedView.query"),
    TYPED_VIEW_REDUCE("typedView.reduce"),
    TYPED_VIEW_REDUCE_GROUPED("typedView.reduceGrouped"),
    TYPED_VIEW_DELETE_DOCS("typedView.deleteDocs"),
    TYPED_VIEW_INFO("typedView.info"),

    /** A custom server API by name ({@code dev.arbor.api.custom.Api}); see {@link ApiCalls}. */
    API_CALL("api.call");

    private static final Map<String, Op> BY_WIRE_NAME = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(Op::wireName, Function.identity()));

    private final String wireName;

    Op(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static Optional<Op> byWireName(String name) {
        return Optional.ofNullable(BY_WIRE_NAME.get(name));
    }
}
