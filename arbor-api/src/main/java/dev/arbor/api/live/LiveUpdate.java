package dev.arbor.api.live;

import dev.arbor.api.Seq;

import java.util.List;
import java.util.Objects;

/**
 * The deltas that turn the previous result into the query's result at {@code seq}, the database's update sequence
 * the new result holds at. Sequences of successive updates only grow.
 */
public record LiveUpdate(Seq seq, List<Delta> deltas) implements LiveEvent {
    public LiveUpdate {
        Objects.requireNonNull(seq, "seq");
        deltas = List.copyOf(deltas);
    }
}
