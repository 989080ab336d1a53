package dev.arbor.api.view;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

/**
 * The parameters of a view query, named as CouchDB's query parameters. Keys are JSON values; a Java
 * {@code null} means "not given", a JSON {@code null} node is the key {@code null}. {@code startkey} and
 * {@code endkey} swap roles with {@code descending}, as in CouchDB: the scan starts at {@code startkey}.
 *
 * @param keys        exact keys, each answered in the given order (rows of one key in index order)
 * @param limit       at most this many rows; negative means no limit
 * @param reduce      null: reduce when the view has a reduce function
 * @param groupLevel  null unless {@code group_level} was given; {@code group=true} is an unlimited level
 * @param sorted      {@code sorted=false} lets CouchDB skip sorting; Arbor's rows are sorted either way
 * @param attachments with {@code includeDocs}: each doc's attachment data inline, not stubs
 */
public record ViewQuery(JsonNode key, List<JsonNode> keys, JsonNode startkey, String startkeyDocId, JsonNode endkey,
                        String endkeyDocId, boolean inclusiveEnd, boolean descending, long skip, long limit,
                        boolean includeDocs, boolean conflicts, boolean updateSeq, Boolean reduce, boolean group,
                        Integer groupLevel, boolean sorted, Update update, boolean attachments) {

    /** CouchDB's {@code update} parameter: when the index catches up with the database. */
    public enum Update {
        /** Bring the index up to date, then answer (the default). */
        TRUE,
        /** Answer from the index as it is. */
        FALSE,
        /** Answer from the index as it is, then bring it up to date in the background. */
        LAZY
    }

    public static final ViewQuery DEFAULT = builder().build();

    public ViewQuery {
        keys = keys == null ? null : List.copyOf(keys);
        if (update == null) {
            update = Update.TRUE;
        }
        if (groupLevel != null && groupLevel < 0) {
            throw new IllegalArgumentException("group_level must be a non-negative integer");
        }
    }

    /** Whether rows are grouped: {@code group=true} or a {@code group_level}. */
    public boolean grouped() {
        return group || groupLevel != null;
    }

    /** The group level in effect: unlimited (exact keys) for {@code group=true}, 0 when not grouped. */
    public int effectiveGroupLevel() {
        return groupLevel != null ? groupLevel : group ? Integer.MAX_VALUE : 0;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.key = key;
        b.keys = keys;
        b.startkey = startkey;
        b.startkeyDocId = startkeyDocId;
        b.endkey = endkey;
        b.endkeyDocId = endkeyDocId;
        b.inclusiveEnd = inclusiveEnd;
        b.descending = descending;
        b.skip = skip;
        b.limit = limit;
        b.includeDocs = includeDocs;
        b.conflicts = conflicts;
        b.updateSeq = updateSeq;
        b.reduce = reduce;
        b.group = group;
        b.groupLevel = groupLevel;
        b.sorted = sorted;
        b.update = update;
        b.attachments = attachments;
        return b;
    }

    /** Builds a query; everything defaults to CouchDB's default. */
    public static final class Builder {
        private JsonNode key;
        private List<JsonNode> keys;
        private JsonNode startkey;
        private String startkeyDocId;
        private JsonNode endkey;
        private String endkeyDocId;
        private boolean inclusiveEnd = true;
        private boolean descending;
        private long skip;
        private long limit = -1;
        private boolean includeDocs;
        private boolean conflicts;
        private boolean updateSeq;
        private Boolean reduce;
        private boolean group;
        private Integer groupLevel;
        private boolean sorted = true;
        private Update update = Update.TRUE;
        private boolean attachments;

        private Builder() {}

        public Builder key(JsonNode v) { key = v; return this; }
        public Builder keys(List<JsonNode> v) { keys = v == null ? null : new ArrayList<>(v); return this; }
        public Builder startkey(JsonNode v) { startkey = v; return this; }
        public Builder startkeyDocId(String v) { startkeyDocId = v; return this; }
        public Builder endkey(JsonNode v) { endkey = v; return this; }
        public Builder endkeyDocId(String v) { endkeyDocId = v; return this; }
        public Builder inclusiveEnd(boolean v) { inclusiveEnd = v; return this; }
        public Builder descending(boolean v) { descending = v; return this; }
        public Builder skip(long v) { skip = v; return this; }
        public Builder limit(long v) { limit = v; return this; }
        public Builder includeDocs(boolean v) { includeDocs = v; return this; }
        public Builder conflicts(boolean v) { conflicts = v; return this; }
        public Builder updateSeq(boolean v) { updateSeq = v; return this; }
        public Builder reduce(Boolean v) { reduce = v; return this; }
        public Builder group(boolean v) { group = v; return this; }
        public Builder groupLevel(Integer v) { groupLevel = v; return this; }
        public Builder sorted(boolean v) { sorted = v; return this; }
        public Builder update(Update v) { update = v; return this; }
        public Builder attachments(boolean v) { attachments = v; return this; }

        public ViewQuery build() {
            return new ViewQuery(key, keys, startkey, startkeyDocId, endkey, endkeyDocId, inclusiveEnd, descending,
                    skip, limit, includeDocs, conflicts, updateSeq, reduce, group, groupLevel, sorted, update, attachments);
        }
    }
}
