package dev.arbor.server.changes;

/** Where a feed starts: after a sequence the client names, or at the database's update_seq ({@code since=now}). */
public sealed interface Since {

    /** {@code since=now}: only changes made after the request arrives. */
    record Now() implements Since {}

    /** Changes after {@code seq} (0: from the beginning). */
    record After(long seq) implements Since {
        public After {
            if (seq < 0) {
                throw new IllegalArgumentException("since must not be negative: " + seq);
            }
        }
    }

    Since BEGINNING = new After(0);
}
