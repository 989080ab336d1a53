package dev.arbor.engine.view;

import dev.arbor.engine.index.Index;
import dev.arbor.engine.index.IndexCheckpoint;
import dev.arbor.engine.index.IndexKind;
import dev.arbor.engine.index.IndexPass;
import dev.arbor.engine.kv.KvSnapshot;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * What the index engine needs of a set of views that share one index (rows, back-index, per-key reductions, one
 * checkpoint): a JavaScript design document ({@link DesignViews}) or one typed Java view ({@link TypedViewDefinition}).
 * Everything else (updating from the by-sequence log, eager updates in the writer's
 * commit, readers, integrity checks) is written once against this interface, over the index framework ({@link Index}).
 *
 * <p>Implementations are immutable and thread-safe: the updater, readers and the writer's eager step call them
 * from their own threads.
 */
sealed interface ViewDefinition extends Index permits DesignViews, TypedViewDefinition {
    /** Bytes of every {@link #signature()}: the first bytes of every key of the index. */
    int SIGNATURE_BYTES = 16;

    /** A readable name for logs and errors ({@code _design/blog}, {@code typed view posts-by-category}). */
    String id();

    @Override
    default IndexKind kind() {
        return ViewSpaces.KIND;
    }

    @Override
    default String displayName() {
        return id();
    }

    /** The checkpoint's state is the row count of each view ({@link ViewKeys#countsState}). */
    @Override
    default byte[] emptyState() {
        return ViewKeys.countsState(new long[views().size()]);
    }

    /** Rows counted for another number of views belong to another definition: rebuilt. */
    @Override
    default boolean fits(byte[] state) {
        return ViewKeys.countsFit(state, views().size());
    }

    @Override
    default IndexPass pass(IndexCheckpoint from, Staging staging) {
        return new ViewPass(this, from, staging);
    }

    @Override
    default int batchDocuments() {
        return ViewPass.BATCH_DOCUMENTS;
    }

    @Override
    default String problem(KvSnapshot snapshot, IndexCheckpoint checkpoint) {
        return ViewIntegrity.problem(this, snapshot, checkpoint);
    }

    /** Identifies the index's data; a changed definition has a new signature, so it starts an empty index. */
    byte[] signature();

    /** The view names; a view's position is its ordinal in row keys. */
    List<String> views();

    /**
     * The rows one live document emits, one list per view in {@link #views()} order, in any order (the updater
     * ranks a document's rows by key, then value). {@code doc} is the winning revision, shared by every index of
     * the pass, so it is decoded once whatever the number of views. Views with the same map function may share one
     * list (the same instance), which the updater then ranks and encodes once.
     */
    List<List<Emitted>> map(IndexedDocument doc);

    /** The view's reduce, if it has one. */
    Optional<ViewReduce> reduce(int ordinal);

    /**
     * Whether rows are keyed by the document's partition first ({@link ViewKeys#partitionKey}), so a partition's
     * rows and reductions are one contiguous range of each view.
     */
    default boolean partitioned() {
        return false;
    }

    /** Whether a key of the view may belong to one document only (a unique typed view). */
    default boolean unique(int ordinal) {
        return false;
    }

    /** The first {@link #SIGNATURE_BYTES} bytes of the SHA-256 of what identifies an index. */
    static byte[] signatureOf(String identity) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(identity.getBytes(StandardCharsets.UTF_8));
            return Arrays.copyOf(digest, SIGNATURE_BYTES);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** The view's ordinal in row keys, or -1 when there is no such view. */
    default int ordinal(String view) {
        return views().indexOf(view);
    }
}
