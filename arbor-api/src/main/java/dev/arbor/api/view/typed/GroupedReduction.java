package dev.arbor.api.view.typed;

/** The reduction of one group of rows: every row of one key, or of one key prefix at a group level. */
public record GroupedReduction<G, V>(G key, V value) {}
