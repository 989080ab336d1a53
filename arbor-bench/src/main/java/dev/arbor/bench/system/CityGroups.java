package dev.arbor.bench.system;

/**
 * The answer of a W8 query grouped by city ({@code group_level=1} of the {@code [city, age]} key), reduced to what
 * the harness checks: how many groups came back and the sum of their values (each doc counts 1 in both views).
 */
public record CityGroups(long groups, long total) {}
