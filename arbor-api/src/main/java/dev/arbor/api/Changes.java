package dev.arbor.api;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * What changed, in sequence order: the {@code _changes} feed, and the commit events a live reader waits on.
 */
public interface Changes {

    /** {@code _changes} (normal feed), streamed: each row in seq order; returns last_seq and pending. */
    ChangesSummary changes(ChangesOptions options, Consumer<ChangeRow> rows);

    default ChangesResult changes(ChangesOptions options) {
        List<ChangeRow> rows = new ArrayList<>();
        ChangesSummary summary = changes(options, rows::add);
        return new ChangesResult(rows, summary.lastSeq(), summary.pending());
    }

    /** Called on the writer's thread after each commit; keep it short and never block in it. */
    Subscription onCommit(Consumer<CommitEvent> listener);
}
