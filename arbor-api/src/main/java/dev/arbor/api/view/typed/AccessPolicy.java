package dev.arbor.api.view.typed;

/** What a query does about a view that is behind the documents (BonsaiDb's names for CouchDB's {@code update}). */
public enum AccessPolicy {
    /** Bring the index up to date, then answer ({@code update=true}, the default). */
    UPDATE_BEFORE,
    /** Answer from the index as it is, then bring it up to date in the background ({@code update=lazy}). */
    UPDATE_AFTER,
    /** Answer from the index as it is ({@code update=false}). */
    NO_UPDATE
}
