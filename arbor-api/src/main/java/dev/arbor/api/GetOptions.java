package dev.arbor.api;

import java.util.List;

/**
 * Options of a document read, named as CouchDB's query parameters. Build from {@link #DEFAULT}:
 * {@code GetOptions.DEFAULT.rev("2-abc").revs(true).conflicts(true)}.
 *
 * @param rev              a specific revision instead of the winner
 * @param revs             include {@code _revisions} (the ancestry of the returned revision)
 * @param revsInfo         include {@code _revs_info} (status of each ancestor: available, missing, deleted)
 * @param conflicts        include {@code _conflicts} (non-deleted losing leaves)
 * @param deletedConflicts include {@code _deleted_conflicts}
 * @param latest           with {@code rev} or open_revs: return the latest leaf descending from it
 * @param attachments      inline attachment data (base64) instead of stubs
 * @param attsSince        inline only attachments newer than these revisions (stubs for the rest)
 * @param localSeq         include {@code _local_seq}
 */
public record GetOptions(String rev, boolean revs, boolean revsInfo, boolean conflicts, boolean deletedConflicts,
                         boolean latest, boolean attachments, List<String> attsSince, boolean localSeq) {

    public static final GetOptions DEFAULT = new GetOptions(null, false, false, false, false, false, false, List.of(), false);

    public GetOptions {
        attsSince = attsSince == null ? List.of() : List.copyOf(attsSince);
    }

    public GetOptions rev(String value) { return new GetOptions(value, revs, revsInfo, conflicts, deletedConflicts, latest, attachments, attsSince, localSeq); }
    public GetOptions revs(boolean value) { return new GetOptions(rev, value, revsInfo, conflicts, deletedConflicts, latest, attachments, attsSince, localSeq); }
    public GetOptions revsInfo(boolean value) { return new GetOptions(rev, revs, value, conflicts, deletedConflicts, latest, attachments, attsSince, localSeq); }
    public GetOptions conflicts(boolean value) { return new GetOptions(rev, revs, revsInfo, value, deletedConflicts, latest, attachments, attsSince, localSeq); }
    public GetOptions deletedConflicts(boolean value) { return new GetOptions(rev, revs, revsInfo, conflicts, value, latest, attachments, attsSince, localSeq); }
    public GetOptions latest(boolean value) { return new GetOptions(rev, revs, revsInfo, conflicts, deletedConflicts, value, attachments, attsSince, localSeq); }
    public GetOptions attachments(boolean value) { return new GetOptions(rev, revs, revsInfo, conflicts, deletedConflicts, latest, value, attsSince, localSeq); }
    public GetOptions attsSince(List<String> value) { return new GetOptions(rev, revs, revsInfo, conflicts, deletedConflicts, latest, attachments, value, localSeq); }
    public GetOptions localSeq(boolean value) { return new GetOptions(rev, revs, revsInfo, conflicts, deletedConflicts, latest, attachments, attsSince, value); }
}
