package dev.arbor.api.live;

import dev.arbor.api.Seq;

import java.util.List;
import java.util.Objects;

/**
 * What a subscriber holds, named without contents: the sequence its result holds at and its rows in order. Resuming
 * with it (see {@link LiveQueries#resume}) brings exactly this result to the current one: the first update holds the
 * deltas from these rows to the query's result now, computed against these rows and not against anything the server
 * remembers, so a delta the subscriber applied before it was cut off is never sent again and one it never saw is
 * never missing. Deltas after that continue as from a fresh subscription.
 */
public record ResumeToken(Seq seq, List<RowRef> rows) {
    public ResumeToken {
        Objects.requireNonNull(seq, "seq");
        rows = List.copyOf(rows);
    }
}
