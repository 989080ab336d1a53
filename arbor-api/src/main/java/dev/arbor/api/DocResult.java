package dev.arbor.api;

/** The outcome of writing one document: {@code {ok, id, rev}} or {@code {id, error, reason}} as in {@code _bulk_docs}. */
public sealed interface DocResult {
    String id();

    record Ok(String id, String rev) implements DocResult {}

    /** @param rev the revision the failed edit named, when known (may be null) */
    record Error(String id, String rev, String error, String reason) implements DocResult {}
}
