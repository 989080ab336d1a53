package dev.arbor.core.rev;

/** A {@code _revs_info} entry: status is {@code "available"}, {@code "deleted"} or {@code "missing"} as CouchDB reports it. */
public record RevInfo(Rev rev, String status) {
    public static final String AVAILABLE = "available";
    public static final String DELETED = "deleted";
    public static final String MISSING = "missing";

    /**
     * CouchDB reports a revision without a stored body as missing, whether or not it was a deletion:
     * its compactor replaces compacted bodies with {@code ?REV_MISSING}, which forgets the flag.
     */
    static RevInfo of(Rev rev, RevStatus status) {
        String text = !status.available() ? MISSING : status.deleted() ? DELETED : AVAILABLE;
        return new RevInfo(rev, text);
    }
}
