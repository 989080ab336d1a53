package dev.arbor.api;

import java.util.List;
import java.util.Map;

/** {@code _purge}: the new purge sequence and, per doc id, the revisions actually purged. */
public record PurgeResult(long purgeSeq, Map<String, List<String>> purged) {}
