package dev.arbor.api.view.typed;

/** When a typed view's index follows the documents. */
public enum ViewUpdatePolicy {
    /** Brought up to date by queries (as their {@link AccessPolicy} says), as CouchDB's JavaScript views are. */
    LAZY,
    /** Updated in the same commit as the document write: a query never waits for indexing. */
    EAGER,
    /**
     * Eager, and a key belongs to one document at most: a write that would give a key to a second document fails
     * atomically with a {@code 409 conflict} naming the view, the key and the document that has it.
     */
    UNIQUE
}
