package dev.arbor.api;

import java.util.List;

/** {@code _revs_diff} for one doc: the revisions this database lacks, and leaves that could be their ancestors. */
public record RevsDiff(List<String> missing, List<String> possibleAncestors) {}
