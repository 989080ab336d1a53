package dev.arbor.api.live;

import dev.arbor.api.Database;
import dev.arbor.api.Seq;

import java.util.List;

/**
 * The rows a live query keeps and how it brings them up to date. Owned by the one thread computing its subscription
 * at a time; not thread-safe.
 */
sealed interface Window permits MangoWindow, ViewWindow {

    /** Reads the result now; returns the sequence it holds at. */
    Seq load();

    /** Brings the rows from {@code since} to now; returns the sequence they hold at ({@code since} when nothing changed). */
    Seq catchUp(Seq since);

    /** The result's rows, in order. */
    List<LiveRow> rows();

    /** The window for {@code spec}; refuses a malformed one as {@code _find} or the view would. */
    static Window of(Database database, LiveSpec spec) {
        return switch (spec) {
            case LiveSpec.Find find -> new MangoWindow(database, find.request());
            case LiveSpec.View view -> new ViewWindow(database, view.ddoc(), view.view(), view.query());
        };
    }
}
