package dev.arbor.core.rev;

/** A leaf of a revision tree: a revision nothing was edited on top of, and what is known of it. */
public record Leaf(Rev rev, RevStatus status) {
    public boolean deleted() {
        return status.deleted();
    }
}
