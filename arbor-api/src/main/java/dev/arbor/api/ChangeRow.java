package dev.arbor.api;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

/** One {@code _changes} row: {@code {seq, id, changes: [{rev}...], deleted?, doc?}}. */
public record ChangeRow(Seq seq, String id, List<String> changes, boolean deleted, ObjectNode doc) {
    /** A row of Arbor's own, at a local sequence number. */
    public ChangeRow(long seq, String id, List<String> changes, boolean deleted, ObjectNode doc) {
        this(Seq.of(seq), id, changes, deleted, doc);
    }
}
