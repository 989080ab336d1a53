package dev.arbor.core.rev;

import dev.arbor.core.error.ArborException;

import java.util.List;
import java.util.Objects;

/**
 * A linear history to merge into a {@link RevTree}: hashes newest first; {@code hashes.get(0)} is the
 * leaf at position {@code leafPos}, {@code hashes.get(i)} is at {@code leafPos - i}. The leaf gets
 * {@code leafStatus}; ancestors not already in the tree are added as {@link RevStatus#MISSING} (an
 * ancestor already present keeps its status).
 *
 * <p>This is the shape of a document's {@code _revisions} ({@code start} = leafPos, {@code ids} =
 * hashes), and of an ordinary edit ({@code [newHash, parentHash]}).
 */
public record RevPath(long leafPos, List<String> hashes, RevStatus leafStatus) {

    public RevPath {
        Objects.requireNonNull(leafStatus, "leafStatus");
        hashes = List.copyOf(hashes);
        // The oldest revision must still have a position of at least 1.
        if (hashes.isEmpty() || leafPos - hashes.size() + 1 < 1) {
            throw new ArborException.BadRequest("bad_request", "Invalid rev format");
        }
        for (String hash : hashes) {
            if (!Rev.isValidHash(hash)) {
                throw new ArborException.BadRequest("bad_request", "Invalid rev format");
            }
        }
    }

    /** A path of just one revision, with no known ancestors. */
    public static RevPath of(Rev rev, RevStatus status) {
        return new RevPath(rev.pos(), List.of(rev.hash()), status);
    }

    /** The path of an ordinary edit: {@code newHash} on top of {@code parent} (null for a document's first revision). */
    public static RevPath edit(Rev parent, String newHash, RevStatus status) {
        if (parent == null) {
            return new RevPath(1, List.of(newHash), status);
        }
        return new RevPath(parent.pos() + 1, List.of(newHash, parent.hash()), status);
    }

    /** The newest revision of the path. */
    public Rev leaf() {
        return new Rev(leafPos, hashes.get(0));
    }

    /** The position of the oldest revision of the path. */
    public long rootPos() {
        return leafPos - hashes.size() + 1;
    }
}
