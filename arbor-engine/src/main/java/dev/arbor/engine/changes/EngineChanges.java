package dev.arbor.engine.changes;

import dev.arbor.engine.store.DocSpaces;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.api.ChangeRow;
import dev.arbor.api.Changes;
import dev.arbor.api.ChangesOptions;
import dev.arbor.api.ChangesSummary;
import dev.arbor.api.CommitEvent;
import dev.arbor.api.GetOptions;
import dev.arbor.api.Subscription;
import dev.arbor.api.pubsub.Topic;
import dev.arbor.core.rev.Rev;
import dev.arbor.engine.kv.KvCursor;
import dev.arbor.engine.kv.KvReader;
import dev.arbor.engine.kv.KvSnapshot;
import dev.arbor.engine.kv.KvStore;
import dev.arbor.engine.kv.Space;
import dev.arbor.engine.pubsub.EnginePubSub;
import dev.arbor.engine.store.DbState;
import dev.arbor.engine.store.DocJson;
import dev.arbor.engine.store.DocRecord;
import dev.arbor.engine.store.DatabaseKeys;
import dev.arbor.engine.store.SeqEntry;
import dev.arbor.js.JsOptions;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The {@link Changes} of an engine database: the {@code _changes} feed, read from the by-sequence log, and the
 * commit events, published to the database's pub/sub ({@link Topic#CHANGES}) and handed to its commit listeners.
 *
 * <p>Threads: the feed is read on the caller's thread against one store snapshot, taking no lock; listeners may be
 * added and removed from any thread. {@link #committed} runs on the writer's committing thread, and so do the
 * listeners it calls.
 */
public final class EngineChanges implements Changes {
    private static final System.Logger LOG = System.getLogger(EngineChanges.class.getName());

    private final String name;
    private final KvStore store;
    private final EnginePubSub pubSub;
    private final DesignFilters designFilters;
    /** Reads a design document by id for a filter; throws {@code not_found} when missing. */
    private final Function<String, ObjectNode> designDocs;
    private final List<Consumer<CommitEvent>> listeners = new CopyOnWriteArrayList<>();

    /** @param designFunctions how filter functions of design documents run (their time limit, memory budget, log) */
    public EngineChanges(String name, KvStore store, EnginePubSub pubSub, Function<String, ObjectNode> designDocs,
                         JsOptions designFunctions) {
        this.name = name;
        this.store = store;
        this.pubSub = pubSub;
        this.designFilters = new DesignFilters(name, designFunctions);
        this.designDocs = designDocs;
    }

    /** After each commit, on the writer's thread: tells the subscribers of {@link Topic#CHANGES} and the listeners. */
    public void committed(DbState state) {
        CommitEvent event = new CommitEvent(name, state.updateSeq());
        pubSub.publishSystem(Topic.CHANGES, event);
        for (Consumer<CommitEvent> listener : listeners) {
            try {
                listener.accept(event);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "commit listener of " + name + " failed", e);
            }
        }
    }

    @Override
    public ChangesSummary changes(ChangesOptions options, Consumer<ChangeRow> rows) {
        long since = options.since().toLocal();
        try (KvSnapshot snapshot = store.snapshot()) {
            DbState state = DbState.decode(snapshot.get(DocSpaces.META, DatabaseKeys.META_STATE));
            Set<String> docIds = options.docIds() == null ? null : new HashSet<>(options.docIds());
            GetOptions docOptions = GetOptions.DEFAULT.conflicts(options.conflicts());
            // Resolved before the scan, so a bad filter is refused before any row goes out.
            Predicate<ObjectNode> function = options.filter() == null ? null
                    : designFilters.resolve(options.filter(), options.queryParams(), designDocs);
            long sent = 0;
            long lastSeq = -1;
            boolean limited = false;
            try (KvCursor cursor = snapshot.scan(DocSpaces.SEQ, DatabaseKeys.seq(since + 1), null, options.descending())) {
                while (cursor.next()) {
                    if (options.limit() >= 0 && sent >= options.limit()) {
                        limited = true;
                        break;
                    }
                    SeqEntry entry = SeqEntry.decode(cursor.value());
                    if (docIds != null && !docIds.contains(entry.id())) {
                        continue;
                    }
                    long seq = DatabaseKeys.seq(cursor.key());
                    List<String> changes = options.style() == ChangesOptions.Style.ALL_DOCS
                            ? entry.leaves().stream().map(Rev::toString).toList()
                            : List.of(entry.leaves().get(0).toString());
                    ObjectNode doc = null;
                    if (options.includeDocs() || function != null) {
                        DocRecord record = docRecord(snapshot, entry.id());
                        Rev rev = record.winner().rev();
                        doc = DocJson.document(entry.id(), rev, record.winnerRecord(), record.tree(), record.seq(), docOptions, snapshot);
                    }
                    if (function != null && !function.test(doc)) {
                        continue;
                    }
                    rows.accept(new ChangeRow(seq, entry.id(), changes, entry.deleted(), options.includeDocs() ? doc : null));
                    lastSeq = seq;
                    sent++;
                }
            }
            if (!limited && !options.descending()) {
                return new ChangesSummary(Math.max(state.updateSeq(), since), 0);
            }
            if (lastSeq < 0) {
                lastSeq = options.descending() ? state.updateSeq() : since;
            }
            return new ChangesSummary(lastSeq, options.descending() ? 0 : countAfter(snapshot, lastSeq));
        }
    }

    private static long countAfter(KvReader reader, long seq) {
        long count = 0;
        try (KvCursor cursor = reader.scan(DocSpaces.SEQ, DatabaseKeys.seq(seq + 1), null, false)) {
            while (cursor.next()) {
                count++;
            }
        }
        return count;
    }

    @Override
    public Subscription onCommit(Consumer<CommitEvent> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    private static DocRecord docRecord(KvReader reader, String id) {
        byte[] bytes = reader.get(DocSpaces.DOCS, DatabaseKeys.docId(id));
        return bytes == null ? null : DocRecord.decode(bytes);
    }
}
