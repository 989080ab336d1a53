package dev.arbor.api;

import java.util.List;

public record ChangesResult(List<ChangeRow> results, Seq lastSeq, long pending) {}
