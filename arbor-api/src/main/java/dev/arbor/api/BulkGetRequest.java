package dev.arbor.api;

import java.util.List;

/** One entry of a {@code _bulk_get} request: an id, optionally a rev (else the winner) and {@code atts_since}. */
public record BulkGetRequest(String id, String rev, List<String> attsSince) {
    public BulkGetRequest {
        attsSince = attsSince == null ? List.of() : List.copyOf(attsSince);
    }

    public BulkGetRequest(String id, String rev) {
        this(id, rev, List.of());
    }
}
