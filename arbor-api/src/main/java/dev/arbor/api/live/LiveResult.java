package dev.arbor.api.live;

import dev.arbor.api.Seq;
import dev.arbor.core.error.ArborException;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** A live query's rows in order, as they are at the database's update sequence {@code seq}. */
public record LiveResult(Seq seq, List<LiveRow> rows) {
    public LiveResult {
        Objects.requireNonNull(seq, "seq");
        rows = List.copyOf(rows);
    }

    /** The result {@code update} leads to; an update that does not fit this result is an {@code Internal} error. */
    public LiveResult apply(LiveUpdate update) {
        List<LiveRow> next = new ArrayList<>(rows);
        try {
            for (Delta delta : update.deltas()) {
                switch (delta) {
                    case Delta.Added added -> next.add(added.index(), added.row());
                    case Delta.Changed changed -> {
                        next.remove(changed.from());
                        next.add(changed.index(), changed.row());
                    }
                    case Delta.Removed removed -> {
                        LiveRow gone = next.remove(removed.index());
                        if (!gone.id().equals(removed.id())) {
                            throw new IndexOutOfBoundsException("row " + removed.index() + " is " + gone.id() + ", not " + removed.id());
                        }
                    }
                }
            }
        } catch (IndexOutOfBoundsException e) {
            throw new ArborException.Internal("a live update does not fit the result at " + seq + ": " + e.getMessage(), e);
        }
        return new LiveResult(update.seq(), next);
    }

    /** This result as a resume token names it. */
    public ResumeToken token() {
        return new ResumeToken(seq, rows.stream().map(LiveRow::ref).toList());
    }
}
