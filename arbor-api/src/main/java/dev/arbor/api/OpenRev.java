package dev.arbor.api;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** One entry of an {@code open_revs} or {@code _bulk_get} answer: {@code {ok: doc}} or {@code {missing: rev}}. */
public sealed interface OpenRev {
    record Found(ObjectNode doc) implements OpenRev {}

    record Missing(String rev) implements OpenRev {}
}
