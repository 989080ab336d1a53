package dev.arbor.api.live;

/** What a live query delivers after its first result: updates, and once, perhaps, its end. */
public sealed interface LiveEvent permits LiveUpdate, LiveEnd {}
